// /dashboard: the creator's control center. Sections are separate modules, chosen by ?tab=; the ones about one
// channel take ?channel=<slug> and show a channel picker.
import { h, replace, uid } from '../dom.js';
import { api } from '../api.js';
import { errorBox, loading } from '../ui.js';
import * as session from '../session.js';

const TABS = [
  { id: 'overview', label: 'Overview', load: () => import('../dashboard/overview.js') },
  { id: 'channels', label: 'Channels', load: () => import('../dashboard/channels.js') },
  { id: 'sessions', label: 'Stream history', load: () => import('../dashboard/sessions.js'), perChannel: true },
  { id: 'recordings', label: 'Recordings', load: () => import('../dashboard/recordings.js'), perChannel: true },
  { id: 'moderation', label: 'Moderation', load: () => import('../dashboard/moderation.js'), perChannel: true },
  { id: 'visibility', label: 'Visibility', load: () => import('../dashboard/visibility.js'), perChannel: true },
  { id: 'webhooks', label: 'Webhooks', load: () => import('../dashboard/webhooks.js') },
  { id: 'profile', label: 'Profile', load: () => import('../dashboard/profile.js') },
  { id: 'account', label: 'Account', load: () => import('../dashboard/account.js') },
  { id: 'admin', label: 'Administration', load: () => import('../dashboard/admin.js'), admin: true },
  { id: 'safety', label: 'Trust & safety', load: () => import('../dashboard/safety.js'), admin: true },
];

export default async function dashboard(outlet, ctx) {
  ctx.setTitle('Dashboard');
  const me = session.user();
  if (!me) {
    replace(outlet, h('h1', {}, 'Dashboard'),
      h('p', {}, 'Log in to run your channels. ', h('a', { href: '/login?next=/dashboard' }, 'Log in'), '.'));
    return undefined;
  }
  const tabs = TABS.filter(t => !t.admin || me.role === 'admin');
  const tab = tabs.find(t => t.id === ctx.query.get('tab')) || tabs[0];
  ctx.setTitle(`${tab.label} · Dashboard`);
  const link = t => {
    const q = new URLSearchParams({ tab: t.id });
    if (t.perChannel && ctx.query.get('channel')) q.set('channel', ctx.query.get('channel'));
    return h('li', {}, h('a', { href: `/dashboard?${q}`, 'aria-current': t === tab ? 'page' : null }, t.label));
  };
  const panel = h('div', { class: 'dash-panel' }, loading());
  replace(outlet,
    h('h1', {}, 'Dashboard'),
    h('div', { class: 'dash-layout' },
      h('nav', { class: 'dash-nav', 'aria-label': 'Dashboard sections' }, h('ul', {}, tabs.map(link))),
      h('section', { 'aria-labelledby': 'dash-h' }, h('h2', { id: 'dash-h' }, tab.label), panel)));

  let channels = [];
  try {
    channels = (await api(`/api/channels?owner=${me.id}&limit=100`, { signal: ctx.signal })).items;
  } catch (error) {
    if (error.name === 'AbortError') return undefined;
    replace(panel, errorBox(error, () => dashboard(outlet, ctx)));
    return undefined;
  }
  const module = await tab.load();
  const data = { me, channels, channel: null };
  if (tab.perChannel) {
    if (!channels.length) {
      replace(panel, h('p', { class: 'empty' }, 'You have no channel yet. ', h('a', { href: '/dashboard?tab=channels' }, 'Create one'), '.'));
      return undefined;
    }
    data.channel = channels.find(c => c.slug === ctx.query.get('channel')) || channels[0];
  }
  const body = h('div');
  replace(panel, tab.perChannel && channels.length > 1 ? channelPicker(ctx, tab, channels, data.channel) : null, body);
  return module.default(body, ctx, data);
}

function channelPicker(ctx, tab, channels, selected) {
  const id = uid('dash-channel');
  const sel = h('select', { id }, channels.map(c => h('option', { value: c.slug, selected: c === selected }, `${c.title} (${c.slug})`)));
  sel.addEventListener('change', () => ctx.navigate(`/dashboard?tab=${tab.id}&channel=${encodeURIComponent(sel.value)}`));
  return h('div', { class: 'field form-narrow' }, h('label', { for: id }, 'Channel'), sel);
}
