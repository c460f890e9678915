// Analytics cards from GET /api/analytics/overview: live viewers, live streams, watch time (24 h) and today's chat,
// then the same per channel. Refreshes while open.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { count, minutes, when } from '../format.js';
import { errorBox, liveBadge, empty } from '../ui.js';

const REFRESH_MS = 10000;

export default async function overview(slot, ctx, { me }) {
  const cards = h('div', { class: 'stat-cards', role: 'status', 'aria-label': 'Loading analytics' },
    Array.from({ length: 4 }, () => h('div', { class: 'stat-card skeleton', 'aria-hidden': 'true' })));
  const table = h('div');
  const note = h('p', { class: 'muted small' });
  replace(slot,
    me.role === 'admin' ? h('p', { class: 'muted' }, 'As an administrator you see every channel on this node.') : null,
    cards, h('h3', {}, 'Per channel'), table, note);

  const load = async () => {
    try {
      const o = await api('/api/analytics/overview', { signal: ctx.signal });
      const s = o.summary;
      cards.removeAttribute('aria-label');
      cards.setAttribute('role', 'group');
      cards.setAttribute('aria-label', 'Summary');
      replace(cards,
        card('Live viewers', count(s.liveViewers), 'live-viewers'),
        card('Streams live', count(s.streamsLive), 'streams-live'),
        card('Watch time, last 24 h', minutes(s.watchTimeMinutes), 'watch-time'),
        card('Chat messages today', count(s.chatMessages), 'chat-messages'));
      replace(table, o.perChannel.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden' }, 'Analytics per channel'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Channel'), h('th', { scope: 'col', class: 'num' }, 'Live viewers'),
          h('th', { scope: 'col', class: 'num' }, 'Followers'), h('th', { scope: 'col', class: 'num' }, 'Avg. watch'),
          h('th', { scope: 'col', class: 'num' }, 'Chat today'),
          h('th', { scope: 'col', class: 'num' }, 'Startup p50 / p95'),
          h('th', { scope: 'col', class: 'num' }, 'Rebuffering'),
          h('th', { scope: 'col', class: 'num' }, 'Dropped frames'))),
        h('tbody', {}, o.perChannel.map(c => h('tr', { dataset: { channel: c.slug } },
          h('th', { scope: 'row' }, h('a', { href: `/c/${encodeURIComponent(c.slug)}` }, c.title), ' ', c.live ? liveBadge() : null),
          h('td', { class: 'num' }, count(c.liveViewers)),
          h('td', { class: 'num' }, count(c.followers)),
          h('td', { class: 'num' }, minutes(c.avgWatchMinutes)),
          h('td', { class: 'num' }, count(c.chatMessages)),
          h('td', { class: 'num', dataset: { qoe: 'startup' } }, startup(c.qoe)),
          h('td', { class: 'num', dataset: { qoe: 'rebuffering' } }, c.qoe?.watchSeconds ? percent(c.qoe.rebufferRatio) : '–'),
          h('td', { class: 'num', dataset: { qoe: 'dropped' } }, c.qoe?.watchSeconds ? percent(c.qoe.droppedFrameRatio) : '–'))))))
        : empty('No channels yet: create one under Channels.'));
      note.textContent = `Updated ${when(o.generatedAt)}. Watch time counts WebRTC and HLS viewers over the last 24 hours; chat counts messages since midnight UTC. Startup (connect to first frame), rebuffering (time stalled of time played) and dropped frames come from viewers' players over the last 15 minutes on this node.`;
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(cards, errorBox(error, load));
    }
  };
  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function card(label, value, key) {
  return h('div', { class: 'stat-card', dataset: { stat: key } }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

/** Median and 95th-percentile startup of the plays in the window, or a dash before any. */
function startup(qoe) {
  if (!qoe?.startup?.count) return '–';
  const s = ms => `${(ms / 1000).toFixed(1)} s`;
  return `${s(qoe.startup.p50Ms)} / ${s(qoe.startup.p95Ms)} (${count(qoe.startup.count)} plays)`;
}

function percent(ratio) {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}
