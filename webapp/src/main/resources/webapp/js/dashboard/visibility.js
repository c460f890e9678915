// One channel's audience: who finds it (public, unlisted, private), the mature flag with its age gate, and the viewer
// tokens that open a private channel (each shown once, as a link to share).
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { checkbox, copyButton, field, handleForm, select } from '../ui.js';
import { toast } from '../toast.js';

export default function visibilityTab(slot, ctx, { channel }) {
  const vis = select({ label: 'Visibility', name: 'visibility', value: channel.visibility || 'public', options: [
    { value: 'public', label: 'Public: in the directory and search' },
    { value: 'unlisted', label: 'Unlisted: anyone with the link' },
    { value: 'private', label: 'Private: only with a viewer token' }] });
  const mature = checkbox({ label: 'Mature content: viewers confirm their age before it plays', name: 'mature', checked: !!channel.mature });
  const settings = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'vis-h' },
    h('h3', { id: 'vis-h' }, 'Who can watch'), vis.wrap, mature.wrap, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save'));
  handleForm(settings, { visibility: vis }, async () => {
    const c = await api(`/api/channels/${encodeURIComponent(channel.slug)}`, { method: 'PATCH',
      body: { visibility: vis.input.value, mature: mature.input.checked } });
    Object.assign(channel, c);
    toast(`Saved: ${c.visibility}${c.mature ? ', mature' : ''}.`, { kind: 'success' });
  });

  const hours = field({ label: 'Valid for (hours)', name: 'expiresInSeconds', type: 'number', value: '24', required: true, hint: '1 hour to 30 days.' });
  const once = checkbox({ label: 'Single use (one playback session)', name: 'singleUse' });
  const minted = h('div', { role: 'status' });
  const mint = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'vt-h' },
    h('h3', { id: 'vt-h' }, 'Viewer tokens'),
    h('p', { class: 'muted small' }, 'A private channel plays only with a token. Each token is shown once: share its link.'),
    hours.wrap, once.wrap, h('button', { type: 'submit', class: 'btn' }, 'Create a viewer link'), minted);
  handleForm(mint, { expiresInSeconds: hours }, async () => {
    const r = await api(`/api/channels/${encodeURIComponent(channel.slug)}/viewer-tokens`, { method: 'POST',
      body: { expiresInSeconds: Math.round(Number(hours.input.value) * 3600), singleUse: once.input.checked } });
    const link = `${location.origin}/c/${encodeURIComponent(channel.slug)}?token=${encodeURIComponent(r.token)}`;
    replace(minted, h('p', {}, 'Link (valid until ', h('time', { datetime: r.expiresAt }, new Date(r.expiresAt).toLocaleString()), '):'),
      h('input', { type: 'text', readonly: true, value: link, class: 'viewer-link', 'aria-label': 'Viewer link' }),
      copyButton(() => link, 'Copy link', 'Copy the viewer link'));
  });
  replace(slot, settings, mint);
}
