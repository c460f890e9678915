// Stream history: the channel's broadcasts with start, end, length and peak viewers, paged.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { count, duration, when } from '../format.js';
import { empty, errorBox, liveBadge, loading } from '../ui.js';

export default async function sessions(slot, ctx, { channel }) {
  const rows = h('tbody');
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, 'Load older broadcasts');
  const table = h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, `Broadcasts of ${channel.slug}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Ended'),
      h('th', { scope: 'col', class: 'num' }, 'Length'), h('th', { scope: 'col', class: 'num' }, 'Peak viewers'))),
    rows));
  replace(slot, loading());
  let before = null;
  const load = async () => {
    try {
      const page = await api(`/api/channels/${encodeURIComponent(channel.slug)}/sessions?limit=25${before ? `&before=${encodeURIComponent(before)}` : ''}`, { signal: ctx.signal });
      if (!before && !page.items.length) { replace(slot, empty(`${channel.slug} has not broadcast yet.`)); return; }
      if (!before) replace(slot, table, more);
      for (const s of page.items) {
        const end = s.endedAt ? new Date(s.endedAt) : new Date();
        rows.append(h('tr', {},
          h('td', {}, when(s.startedAt)),
          h('td', {}, s.live ? liveBadge() : when(s.endedAt)),
          h('td', { class: 'num' }, duration((end - new Date(s.startedAt)) / 1000)),
          h('td', { class: 'num' }, count(s.peakViewers))));
      }
      before = page.next;
      more.hidden = !page.next;
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(slot, errorBox(error, load));
    }
  };
  more.addEventListener('click', load);
  await load();
}
