/**
 * A Server-Sent Events reader over fetch (EventSource cannot send the API key header): parses
 * `event:`/`data:` lines, reconnects after a drop with a growing delay, stops on `close()`.
 */
import { authHeaders } from './api.js';

export type StreamStatus = 'connecting' | 'open' | 'retrying' | 'closed';

export interface StreamHandlers {
  onMessage(event: string, data: string): void;
  onStatus(status: StreamStatus, detail?: string): void;
}

/**
 * @example
 * const stream = openStream('/users/u1/stream', { onMessage: (e, d) => ..., onStatus: (s) => ... });
 * stream.close();
 */
export function openStream(url: string, handlers: StreamHandlers): { close(): void } {
  const controller = new AbortController();
  void run(url, handlers, controller.signal);
  return {
    close: () => {
      controller.abort();
      handlers.onStatus('closed');
    },
  };
}

async function run(url: string, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  let delay = 1000;
  while (!signal.aborted) {
    handlers.onStatus('connecting');
    try {
      const res = await fetch(url, { headers: { accept: 'text/event-stream', ...authHeaders() }, signal });
      if (!res.ok || !res.body) throw new Error(`the stream answered ${res.status}`);
      handlers.onStatus('open');
      delay = 1000;
      await readMessages(res.body, handlers);
    } catch (error) {
      if (signal.aborted) return;
      handlers.onStatus('retrying', error instanceof Error ? error.message : String(error));
    }
    if (signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30_000);
  }
}

async function readMessages(body: ReadableStream<Uint8Array>, handlers: StreamHandlers): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.search(/\r?\n\r?\n/);
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      dispatch(block, handlers);
      end = buffer.search(/\r?\n\r?\n/);
    }
  }
}

function dispatch(block: string, handlers: StreamHandlers): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length > 0) handlers.onMessage(event, data.join('\n'));
}
