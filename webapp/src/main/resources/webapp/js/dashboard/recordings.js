// Recordings of a channel: every broadcast is recorded; the owner publishes what viewers may watch, deletes, and
// cuts clips. Drafts expire on their own (expiresAt). A node without recordings says so.
import { h, replace } from '../dom.js';
import { recordings, playable } from '../recordings-api.js';
import { duration, when } from '../format.js';
import { confirmDialog, empty, errorBox, field, handleForm, loading } from '../ui.js';
import { toast, toastError } from '../toast.js';
import { VodPlayer } from '../vod.js';

export default async function recordingsTab(slot, ctx, { channel }) {
  replace(slot, loading('Loading recordings…'));
  const playerSlot = h('div');
  let player = null;
  const load = async () => {
    let page;
    try {
      page = await recordings.list(channel.slug, { signal: ctx.signal });
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(slot, error.status === 404
        ? h('p', { class: 'empty' }, 'Recordings are not available on this node yet. Once they are, every broadcast is recorded here and you choose what to publish.')
        : errorBox(error, load));
      return;
    }
    if (!page.items.length) { replace(slot, empty(`No recordings of ${channel.slug} yet: each broadcast appears here when it ends.`)); return; }
    replace(slot, playerSlot, h('ul', { class: 'list-plain' }, page.items.map(r => h('li', {}, item(r)))));
  };
  const act = async (fn, message) => {
    try {
      await fn();
      if (message) toast(message, { kind: 'success' });
      await load();
    } catch (error) {
      toastError(error);
    }
  };
  const item = r => {
    const buttons = [];
    if (playable(r)) {
      buttons.push(h('button', {
        type: 'button', class: 'btn', 'aria-label': `Play ${r.title}`,
        onclick: () => {
          player?.destroy();
          player = new VodPlayer(r);
          replace(playerSlot, player.el);
          player.start();
        },
      }, 'Play'));
    }
    if (!r.published && !r.takenDown && playable(r)) {
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', 'aria-label': `Publish ${r.title}`, onclick: () => act(() => recordings.publish(r.id), 'Published on the channel page.') }, 'Publish'));
    }
    buttons.push(h('button', {
      type: 'button', class: 'btn btn-danger', 'aria-label': `Delete ${r.title}`,
      onclick: async () => {
        if (!await confirmDialog(`Delete “${r.title}”? The file is removed for good.`, { confirmLabel: 'Delete', danger: true })) return;
        act(() => recordings.remove(r.id), 'Deleted.');
      },
    }, 'Delete'));
    const facts = [r.clip ? 'Clip' : 'Broadcast', duration(r.duration), when(r.startedAt),
      r.takenDown ? 'taken down' : r.published ? 'published' : 'draft',
      !r.published && r.expiresAt ? `deleted automatically ${when(r.expiresAt)}` : null,
      r.parts > 1 ? `recovered ${r.parts - 1}× (${r.parts} parts, played as one)` : null,
      r.status !== 'ready' ? `${r.status}: recording stopped early` : null].filter(Boolean).join(' · ');
    return h('div', { class: 'card', dataset: { recording: String(r.id) } },
      h('div', { class: 'section-head' }, h('h3', {}, r.title), h('span', { class: 'muted small' }, facts)),
      r.takenDown ? h('p', { class: 'alert alert-warn' }, 'An administrator took this down', r.takedownReason ? `: ${r.takedownReason}` : '.') : null,
      r.error ? h('p', { class: 'muted small' }, r.error) : null,
      h('div', { class: 'row' }, buttons),
      !r.clip && playable(r) ? clipForm(r, act) : null);
  };
  await load();
  return () => player?.destroy();
}

function clipForm(r, act) {
  const fields = {
    title: field({ label: 'Clip title', name: 'title', value: `Clip of ${r.title}`.slice(0, 140) }),
    start: field({ label: 'From (seconds)', name: 'start', type: 'number', value: '0', attrs: { min: '0', step: '0.1' } }),
    end: field({ label: 'To (seconds)', name: 'end', type: 'number', value: String(Math.min(30, Math.floor(r.duration))), attrs: { min: '0', step: '0.1' } }),
  };
  const form = h('form', { novalidate: true }, Object.values(fields).map(f => f.wrap), h('button', { type: 'submit', class: 'btn' }, 'Cut clip'));
  handleForm(form, fields, async () => {
    await act(() => recordings.clip(r.id, fields.title.input.value.trim(), Number(fields.start.input.value), Number(fields.end.input.value)),
      'Clip cut. Publish it to show it on the channel page.');
  });
  return h('details', {}, h('summary', {}, 'Cut a clip'), form);
}
