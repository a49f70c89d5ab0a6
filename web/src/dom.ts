/**
 * A tiny element builder. Text always goes in as text nodes (never HTML), so data from the server
 * cannot inject markup.
 */
export type Child = Node | string | number | null | undefined | false;

type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface Props {
  class?: string;
  /** Attributes, set as given (`aria-*`, `for`, `type`...); `false` or undefined leaves one out. */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Handlers;
}

/**
 * @example
 * h('button', { attrs: { type: 'button' }, on: { click: () => go() } }, 'Go');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, handler] of Object.entries(props.on ?? {})) {
    element.addEventListener(name, handler as EventListener);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A message for screen readers (the page's polite live region). */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = text;
}

/** A panel: a titled section with an id for its heading. */
export function panel(id: string, title: string, ...children: Child[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', attrs: { 'aria-labelledby': `${id}-title`, id } },
    h('h2', { attrs: { id: `${id}-title` } }, title),
    ...children,
  );
}

/** An error line, shown in place of what could not be loaded. */
export function errorLine(error: unknown): HTMLElement {
  const text = error instanceof Error ? error.message : String(error);
  return h('p', { class: 'error', attrs: { role: 'alert' } }, text);
}

/**
 * A form's submit handler: the button disabled and `busy` shown in `results` while `work` runs, then
 * what it returns, or the error.
 *
 * @example
 * h('form', { on: { submit: submitWith(button, results, 'Asking…', async () => [answerList(await ask())]) } });
 */
export function submitWith(
  button: HTMLButtonElement,
  results: Element,
  busy: string,
  work: () => Promise<Child[]>,
): (event: Event) => Promise<void> {
  return async (event) => {
    event.preventDefault();
    button.disabled = true;
    fill(results, h('p', { class: 'muted' }, busy));
    try {
      fill(results, ...(await work()));
    } catch (error) {
      fill(results, errorLine(error));
    } finally {
      button.disabled = false;
    }
  };
}
