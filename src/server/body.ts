/**
 * Reads a JSON request body within a size limit: 415 unless the type is JSON, 413 when the
 * declared Content-Length or the bytes actually streamed exceed the limit (a chunked upload has no
 * Content-Length, and a client may lie in it), 400 for invalid UTF-8 or malformed JSON.
 */
import { ApiError } from './errors.js';
import { shown } from './schemas.js';

/** `application/json` or `application/<x>+json`, in UTF-8 if a charset is named. */
function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

/** The client went away mid-upload: its fault, not the service's (a 400, not a 500 in /metrics). */
function cutShort(): ApiError {
  return new ApiError('INVALID_INPUT', 'the request body was cut short: the upload ended before its end');
}

function tooLarge(maxBytes: number): ApiError {
  // the rest of the upload is not read: close the connection rather than drain it
  return new ApiError('PAYLOAD_TOO_LARGE', `the body exceeds the limit of ${maxBytes} bytes`, {
    headers: { connection: 'close' },
  });
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      throw cutShort();
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * zod drops a `__proto__` key without a word (its value unchecked), so reject it here, where the
 * JSON is parsed, rather than let a field be silently ignored.
 */
async function readDeclared(request: Request, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw cutShort();
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__')
    throw new ApiError('INVALID_INPUT', '"__proto__" is not allowed as a field name', { field: key });
  return value;
}

/**
 * The parsed JSON body of a request.
 *
 * @throws ApiError 415, 413 or 400 as described above.
 * @example
 * const json = await readJsonBody(c.req.raw, 1 << 20);
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (!isJson(contentType)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `expected Content-Type: application/json (UTF-8), got ${contentType === null ? 'none' : shown(contentType)}`,
    );
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  // with a declared length (HTTP framing holds the body to it) the body is read whole, which the
  // Node adapter does straight from the socket; a chunked one is counted as it streams
  const bytes =
    declared === null ? await readLimited(request.body, maxBytes) : await readDeclared(request, maxBytes);
  if (bytes.byteLength === 0)
    throw new ApiError('INVALID_INPUT', 'the body is empty; expected a JSON document');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('INVALID_INPUT', 'the body is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text, refuseProto);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // the parser recurses: absurd nesting exhausts the stack, which says nothing about the service
    if (error instanceof RangeError) throw new ApiError('INVALID_INPUT', 'the JSON is nested too deeply');
    throw new ApiError('INVALID_INPUT', `malformed JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== null) {
    // JSON.parse keeps the last one without a word: which one the client meant is anyone's guess
    throw new ApiError('INVALID_INPUT', `${shown(duplicate)} appears twice in one object`, {
      field: duplicate,
    });
  }
  return json;
}

const BLANK = new Set([' ', '\t', '\n', '\r']);

/**
 * The first key that appears twice in one object of a valid JSON text, or null. One pass: a stack
 * holds the keys of each open object (null for an array).
 */
export function firstDuplicateKey(text: string): string | null {
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') open.push(new Set());
    else if (c === '[') open.push(null);
    else if (c === '}' || c === ']') open.pop();
    else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const keys = open.at(-1);
      if (!keys) continue;
      let next = i + 1;
      while (BLANK.has(text[next])) next++;
      if (text[next] !== ':') continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return null;
}
