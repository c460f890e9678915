// A small client-side router for the app's pages. The server serves the same shell on exactly these paths
// (live.cascade.api.web.WebApp.APP_ROUTES); everything else is a normal link.

const ROUTES = [
  { pattern: /^\/$/, keys: [], load: () => import('./views/home.js') },
  { pattern: /^\/category\/([^/]+)$/, keys: ['category'], load: () => import('./views/home.js') },
  { pattern: /^\/c\/([^/]+)$/, keys: ['slug'], load: () => import('./views/channel.js') },
  { pattern: /^\/studio$/, keys: [], load: () => import('./views/studio.js') },
  { pattern: /^\/dashboard$/, keys: [], load: () => import('./views/dashboard.js') },
  { pattern: /^\/login$/, keys: [], load: () => import('./views/auth.js'), extra: { mode: 'login' } },
  { pattern: /^\/signup$/, keys: [], load: () => import('./views/auth.js'), extra: { mode: 'signup' } },
  { pattern: /^\/forgot-password$/, keys: [], load: () => import('./views/password-reset.js'), extra: { mode: 'request' } },
  { pattern: /^\/reset-password$/, keys: [], load: () => import('./views/password-reset.js'), extra: { mode: 'choose' } },
  { pattern: /^\/terms$/, keys: [], load: () => import('./views/legal.js'), extra: { kind: 'terms' } },
  { pattern: /^\/privacy$/, keys: [], load: () => import('./views/legal.js'), extra: { kind: 'privacy' } },
  { pattern: /^\/appeal$/, keys: [], load: () => import('./views/appeal.js') },
  { pattern: /^\/dmca\/([^/]+)$/, keys: ['id'], load: () => import('./views/dmca.js') },
  { pattern: /^\/accept-terms$/, keys: [], load: () => import('./views/accept-terms.js') },
];

let outlet = null;
let current = null;   // { controller, cleanup }
let firstRender = true;
let rendered = null;  // path + query of the page on screen
const listeners = new Set();

export function match(pathname) {
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (m) {
      const params = { ...(route.extra || {}) };
      route.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { route, params };
    }
  }
  return null;
}

export function onNavigate(listener) {
  listeners.add(listener);
}

export function start(element) {
  outlet = element;
  // Chromium fires popstate for a same-page fragment jump too (the skip link's #main): that is not a new page, and
  // re-rendering would pull focus away from where the jump put it.
  window.addEventListener('popstate', () => {
    if (location.pathname + location.search === rendered) return;
    render();
  });
  document.addEventListener('click', interceptLinks);
  render();
}

export async function navigate(href, { replace = false } = {}) {
  const url = new URL(href, location.href);
  if (!await mayLeave()) return;
  if (url.origin !== location.origin || !match(url.pathname)) {
    location.assign(url.href);
    return;
  }
  if (replace) history.replaceState(null, '', url.href);
  else history.pushState(null, '', url.href);
  render();
}

/**
 * A view may guard leaving (the studio while live): ctx.guard(() => 'question' or null). In-app navigation asks
 * the question first; closing the tab gets the browser's own beforeunload prompt.
 */
async function mayLeave() {
  const question = current?.guard?.();
  if (!question) return true;
  const { confirmDialog } = await import('./ui.js');
  const ok = await confirmDialog(question, { confirmLabel: 'Leave', danger: true });
  if (ok && current) current.guard = null;
  return ok;
}

function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !match(url.pathname)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.href);
}

async function render() {
  if (current) {
    current.controller.abort();
    try { current.cleanup?.(); } catch (e) { console.warn('view cleanup failed', e); }
  }
  const controller = new AbortController();
  const state = { controller, cleanup: null, guard: null };
  current = state;
  rendered = location.pathname + location.search;
  const found = match(location.pathname);
  const ctx = {
    params: found ? found.params : {},
    query: new URLSearchParams(location.search),
    signal: controller.signal,
    setTitle: title => { document.title = title ? `${title} · Cascade Live` : 'Cascade Live'; },
    guard: fn => { state.guard = fn; },
    // Views get navigate from here rather than importing this module, which imports them (no import circle).
    navigate,
  };
  listeners.forEach(l => l(location.pathname));
  outlet.setAttribute('aria-busy', 'true');
  try {
    const module = found ? await found.route.load() : await import('./views/not-found.js');
    if (current !== state) return;
    ctx.setTitle('');
    const view = h1Focus(module.default(outlet, ctx));
    state.cleanup = await view;
  } catch (error) {
    if (error?.name === 'AbortError') return;
    console.error('view failed', error);
    const { errorBox } = await import('./ui.js');
    outlet.replaceChildren(errorBox(error, () => render()));
  } finally {
    if (current === state) outlet.removeAttribute('aria-busy');
  }
}

/** After navigating (not on the first load), moves focus to the new page's heading, as a screen reader user expects. */
async function h1Focus(promise) {
  const result = await promise;
  if (!firstRender) {
    const heading = outlet.querySelector('h1');
    window.scrollTo(0, 0);
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    } else {
      outlet.focus({ preventScroll: true });
    }
  }
  firstRender = false;
  return result;
}
