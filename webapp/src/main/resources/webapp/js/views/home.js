// Home and directory: live channels first, search (title, tags, category), category pages, and the signed-in
// user's followed channels with who is live now.
import { h, replace } from '../dom.js';
import { api, query } from '../api.js';
import { channelGrid, errorBox, skeletonGrid, liveBadge, empty } from '../ui.js';
import { plural } from '../format.js';
import * as session from '../session.js';

const REFRESH_MS = 30000;

export default async function home(outlet, ctx) {
  const q = (ctx.query.get('q') || '').trim();
  const category = ctx.params.category || null;
  const heading = category ? `Category: ${category}` : q ? `Results for “${q}”` : 'Live now';
  ctx.setTitle(category ? category : q ? `Search: ${q}` : '');

  const followedSlot = h('div');
  const mainSlot = h('div', {}, skeletonGrid(6));
  const categoriesSlot = h('div');
  replace(outlet,
    h('h1', {}, heading),
    category || q ? h('p', {}, h('a', { href: '/' }, 'Back to all live channels')) : null,
    h('section', { class: 'section', 'aria-labelledby': 'channels-h' },
      h('h2', { id: 'channels-h', class: 'visually-hidden' }, 'Channels'),
      mainSlot),
    categoriesSlot);

  const load = async () => {
    try {
      const params = { limit: 48, q: q || undefined, category: category || undefined };
      const page = await api(`/api/channels${query(params)}`, { signal: ctx.signal });
      renderChannels(mainSlot, page.items, category, q, followedSlot);
      if (!category && !q) renderCategories(categoriesSlot, page.items);
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(mainSlot, errorBox(error, load));
    }
  };
  const loadFollowed = async () => {
    if (!session.user() || category || q) { followedSlot.replaceChildren(); return; }
    try {
      const page = await api('/api/channels?followed=true&limit=50', { signal: ctx.signal });
      renderFollowed(followedSlot, page.items);
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(followedSlot, errorBox(error, loadFollowed));
    }
  };
  await Promise.all([load(), loadFollowed()]);
  const timer = setInterval(() => { load(); loadFollowed(); }, REFRESH_MS);
  return () => clearInterval(timer);
}

/** Live channels first, then the followed ones (who of them is live), then the rest. */
function renderChannels(slot, items, category, q, followedSlot) {
  const live = items.filter(c => c.live);
  const offline = items.filter(c => !c.live);
  if (category || q) {
    replace(slot, channelGrid(items, q ? `No channel matches “${q}”.` : `No channels in ${category} yet.`));
    return;
  }
  replace(slot,
    channelGrid(live, 'Nobody is live right now. Channels below go live from the studio or OBS.'),
    followedSlot,
    offline.length ? h('section', { class: 'section', 'aria-labelledby': 'offline-h' },
      h('h2', { id: 'offline-h' }, 'Offline channels'), channelGrid(offline, '')) : null);
}

function renderCategories(slot, items) {
  const names = [...new Set(items.map(c => c.category))].sort((a, b) => a.localeCompare(b));
  if (!names.length) { slot.replaceChildren(); return; }
  replace(slot, h('section', { class: 'section', 'aria-labelledby': 'cats-h' },
    h('h2', { id: 'cats-h' }, 'Categories'),
    h('ul', { class: 'chips' }, names.map(n => h('li', {}, h('a', { href: `/category/${encodeURIComponent(n)}` }, n))))));
}

function renderFollowed(slot, items) {
  const liveCount = items.filter(c => c.live).length;
  replace(slot, h('section', { class: 'section card', 'aria-labelledby': 'followed-h' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'followed-h' }, 'Followed channels'),
      h('span', { class: 'muted' }, items.length ? `${liveCount} of ${items.length} live now` : '')),
    items.length
      ? h('ul', { class: 'followed-list' }, items.map(c => h('li', {},
        c.live ? liveBadge() : h('span', { class: 'badge badge-offline' }, 'offline'),
        h('a', { href: `/c/${encodeURIComponent(c.slug)}` }, c.title),
        c.live ? h('span', { class: 'muted small' }, plural(c.viewerCount, 'viewer')) : null)))
      : empty('You follow no channels yet. Open a channel and press Follow.')));
}
