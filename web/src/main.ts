/**
 * The dashboard's entry: hash routes (#/users/<id>, #/model), the API key field, and the user
 * picker beside the selected user's view. `performance.mark('tide:first-render')` is set once the
 * first page has shown its data.
 */
import './styles/base.css';
import './styles/layout.css';
import './styles/panels.css';
import { apiKey, setApiKey } from './api.js';
import { fill, h } from './dom.js';
import { renderModelPage } from './views/model-view.js';
import { UserView } from './views/user-view.js';
import { UserPicker } from './views/users-list.js';

type Route = { page: 'users'; userId: string | null } | { page: 'model' };

const main = document.getElementById('main') as HTMLElement;
let dispose: () => void = () => {};
let firstRender = true;

function parseRoute(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'model') return { page: 'model' };
  const id = rest.join('/');
  return { page: 'users', userId: id ? decodeURIComponent(id) : null };
}

const userHash = (userId: string) => `#/users/${encodeURIComponent(userId)}`;

function markRendered(): void {
  if (!firstRender) return;
  firstRender = false;
  performance.mark('tide:first-render');
  document.body.dataset.rendered = 'true';
}

const picker = new UserPicker((userId) => {
  location.hash = userHash(userId);
});
const detail = h('div', { class: 'user-detail' });
const usersLayout = h('div', { class: 'users-layout' }, picker.element, detail);
let usersLoaded: ReturnType<UserPicker['load']> | null = null;

async function showUsers(userId: string | null): Promise<void> {
  if (!main.contains(usersLayout)) fill(main, usersLayout);
  usersLoaded ??= picker.load();
  if (userId === null) {
    const users = await usersLoaded;
    if (users && users.length > 0) {
      history.replaceState(null, '', userHash(users[0].userId));
      return route();
    }
    const why = users
      ? 'No user has events yet: post some to /events.'
      : 'The users could not be listed. If the server needs an API key, enter it above.';
    fill(detail, h('p', { class: 'muted' }, why));
    markRendered();
    return;
  }
  picker.select(userId);
  const view = new UserView(userId, (id) => {
    location.hash = userHash(id);
  });
  fill(detail, view.element);
  dispose = () => view.dispose();
  await view.refresh();
  markRendered();
}

async function route(): Promise<void> {
  dispose();
  dispose = () => {};
  const current = parseRoute(location.hash);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-page]')) {
    if (link.dataset.page === current.page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (current.page === 'model') {
    const liveStatus = document.getElementById('live-status');
    if (liveStatus) liveStatus.textContent = 'Offline';
    dispose = await renderModelPage(main);
    markRendered();
    return;
  }
  await showUsers(current.userId);
}

function setUpKeyForm(): void {
  const form = document.getElementById('key-form') as HTMLFormElement;
  const input = document.getElementById('api-key') as HTMLInputElement;
  input.value = apiKey() ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    usersLoaded = null;
    void route();
  });
}

setUpKeyForm();
// the skip link focuses the content without touching the hash, which holds the route
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => void route());
void route();
