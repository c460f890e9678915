// Entry point of the app shell: header (navigation, search, theme, account), then the router renders pages into
// <main>.
import { h, replace } from './dom.js';
import { start, navigate, onNavigate } from './router.js';
import { bindToggle } from './theme.js';
import * as session from './session.js';
import { toastError } from './toast.js';

function navItems(path) {
  const user = session.user();
  const link = (href, label) => h('li', {}, h('a', { href, 'aria-current': path === href ? 'page' : null }, label));
  const items = [link('/', 'Home')];
  if (user) {
    items.push(link('/studio', 'Studio'), link('/dashboard', 'Dashboard'));
    const out = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Log out');
    out.addEventListener('click', async () => {
      try {
        await session.logout();
        navigate('/');
      } catch (error) {
        toastError(error);
      }
    });
    items.push(h('li', {}, h('span', { class: 'nav-user' }, `Signed in as ${user.username}`)), h('li', {}, out));
  } else {
    items.push(link('/login', 'Log in'), link('/signup', 'Sign up'));
  }
  return items;
}

function initHeader() {
  const list = document.getElementById('nav-links');
  const nav = document.getElementById('site-nav');
  const menu = document.querySelector('.menu-toggle');
  const search = document.querySelector('form.search');
  const searchInput = document.getElementById('site-search');
  const refresh = () => replace(list, navItems(location.pathname));
  session.onChange(refresh);
  onNavigate(path => {
    replace(list, navItems(path));
    nav.classList.remove('open');
    menu.setAttribute('aria-expanded', 'false');
    searchInput.value = path === '/' ? new URLSearchParams(location.search).get('q') || '' : '';
  });
  menu.addEventListener('click', () => {
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    menu.setAttribute('aria-expanded', String(open));
  });
  search.addEventListener('submit', event => {
    event.preventDefault();
    const q = searchInput.value.trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  });
  bindToggle(document.getElementById('theme-toggle'));
  refresh();
}

// A failure no view caught still reaches the person, in words.
window.addEventListener('unhandledrejection', event => toastError(event.reason));

// A write refused for Terms not accepted yet (api.js, or the chat socket): to the page that accepts them, and back.
window.addEventListener('cascade:terms-required', () => {
  if (location.pathname === '/accept-terms') return;
  navigate(`/accept-terms?next=${encodeURIComponent(location.pathname + location.search)}`);
});

initHeader();
start(document.getElementById('main'));
