/** The user picker: a search box over the server's user list, most recently active first. */
import { api, type UserListResponse } from '../api.js';
import { errorLine, fill, h } from '../dom.js';
import { ago } from '../format.js';

const LIMIT = 40;

export class UserPicker {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'user-list', attrs: { 'aria-label': 'Users' } });
  private readonly count = h('p', { class: 'muted small', attrs: { 'aria-live': 'polite' } });
  private selected: string | null = null;
  private users: UserListResponse['users'] = [];
  private query = '';
  private timer: number | undefined;
  private controller: AbortController | null = null;

  constructor(private readonly onPick: (userId: string) => void) {
    const input = h('input', {
      attrs: {
        id: 'user-search',
        type: 'search',
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: 'user id',
      },
      on: {
        input: () => {
          window.clearTimeout(this.timer);
          this.timer = window.setTimeout(() => {
            this.query = input.value.trim();
            void this.load();
          }, 200);
        },
      },
    });
    this.element = h(
      'aside',
      { class: 'user-picker', attrs: { 'aria-label': 'Pick a user' } },
      h('label', { attrs: { for: 'user-search' } }, 'Find a user'),
      input,
      this.count,
      this.list,
    );
  }

  /** Loads the list; resolves with it (the most recently active first), or null when it failed. */
  async load(): Promise<UserListResponse['users'] | null> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const { users, total } = await api.users(this.query, LIMIT, controller.signal);
      this.users = users;
      this.count.textContent = `${total} user${total === 1 ? '' : 's'}${total > users.length ? `, ${users.length} shown` : ''}`;
      this.render();
      return users;
    } catch (error) {
      if (controller.signal.aborted) return this.users;
      fill(this.list, h('li', {}, errorLine(error)));
      return null;
    }
  }

  select(userId: string | null): void {
    this.selected = userId;
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button[data-user]')) {
      if (button.dataset.user === userId) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  private render(): void {
    fill(
      this.list,
      ...this.users.map((u) => {
        const button = h(
          'button',
          {
            class: 'user-button',
            attrs: { type: 'button', 'aria-current': u.userId === this.selected ? 'true' : undefined },
            on: { click: () => this.onPick(u.userId) },
          },
          h('span', { class: 'user-id' }, u.userId),
          h('span', { class: 'muted small' }, `${u.events} events · ${ago(u.lastEventAt)}`),
        );
        button.dataset.user = u.userId;
        return h('li', {}, button);
      }),
    );
    if (this.users.length === 0) fill(this.list, h('li', { class: 'muted' }, 'No user matches.'));
  }
}
