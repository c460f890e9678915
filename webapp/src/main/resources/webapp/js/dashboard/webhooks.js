// Webhooks: subscribe a URL to a channel's events (an administrator also to every channel's), see each webhook's
// delivery log (status, attempts, last answer, next try) and send a delivery again. The signing secret is shown once.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { when } from '../format.js';
import { checkbox, confirmDialog, copyButton, empty, errorBox, field, handleForm, loading, select } from '../ui.js';
import { toast, toastError } from '../toast.js';

const EVENTS = ['stream.started', 'stream.ended', 'recording.ready', 'clip.ready', 'viewer.milestone', 'report.created'];
const REFRESH_MS = 5000;

export default async function webhooksTab(slot, ctx, { me, channels }) {
  const list = h('div', {}, loading());
  const created = h('div', { role: 'status' });
  const url = field({ label: 'Payload URL', name: 'url', type: 'url', required: true, hint: 'The node POSTs signed JSON here (see the docs for Cascade-Signature).' });
  const options = channels.map(c => ({ value: c.slug, label: c.title || c.slug }));
  if (me.role === 'admin') options.push({ value: '', label: 'Every channel (node-wide)' });
  const channel = select({ label: 'Channel', name: 'channel', options, value: options[0]?.value });
  const boxes = EVENTS.map(e => checkbox({ label: e, name: e, checked: e.startsWith('stream.') }));
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'wh-new' },
    h('h3', { id: 'wh-new' }, 'Add a webhook'), url.wrap, channel.wrap,
    h('fieldset', {}, h('legend', {}, 'Events'), boxes.map(b => b.wrap)),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add webhook'));
  handleForm(form, { url }, async () => {
    const events = boxes.filter(b => b.input.checked).map(b => b.input.name);
    const body = { url: url.input.value.trim(), events };
    if (channel.input.value) body.channel = channel.input.value;
    const w = await api('/api/webhooks', { method: 'POST', body });
    url.input.value = '';
    replace(created, h('div', { class: 'card form-narrow', dataset: { secret: 'shown' } },
      h('p', {}, 'Webhook added. Its signing secret is shown only now:'),
      h('code', {}, w.secret), ' ', copyButton(() => w.secret, 'Copy secret')));
    await load();
  });

  const load = async () => {
    try {
      const { webhooks } = await api('/api/webhooks', { signal: ctx.signal });
      if (!webhooks.length) { replace(list, empty('No webhooks yet.')); return; }
      const cards = await Promise.all(webhooks.map(w => webhookCard(w, load, ctx)));
      replace(list, cards);
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(list, errorBox(error, load));
    }
  };
  replace(slot, form, created, h('h3', {}, 'Your webhooks'), list);
  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

async function webhookCard(w, reload, ctx) {
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, 'Delete');
  remove.addEventListener('click', async () => {
    if (!await confirmDialog(`Delete the webhook to ${w.url} and its delivery log?`, { confirmLabel: 'Delete', danger: true })) return;
    try {
      await api(`/api/webhooks/${w.id}`, { method: 'DELETE' });
      toast('Webhook deleted.', { kind: 'success' });
      await reload();
    } catch (error) { toastError(error); }
  });
  let deliveries = [];
  try {
    deliveries = (await api(`/api/webhooks/${w.id}/deliveries`, { signal: ctx.signal })).deliveries;
  } catch (error) {
    if (error.name !== 'AbortError') return h('div', { class: 'card' }, errorBox(error, reload));
  }
  const rows = deliveries.map(d => {
    const again = h('button', { type: 'button', class: 'btn btn-small' }, 'Redeliver');
    again.addEventListener('click', async () => {
      try {
        const n = await api(`/api/webhooks/${w.id}/deliveries/${d.id}/redeliver`, { method: 'POST' });
        toast(`Delivery ${d.id} sent again as delivery ${n.id}.`, { kind: 'success' });
        await reload();
      } catch (error) { toastError(error); }
    });
    return h('tr', { dataset: { delivery: String(d.id), status: d.status } },
      h('td', { class: 'num' }, String(d.id)),
      h('td', {}, d.event),
      h('td', {}, h('span', { class: `badge ${d.status === 'delivered' ? 'badge-live' : d.status === 'failed' ? 'badge-offline' : 'badge-reconnecting'}` }, d.status)),
      h('td', { class: 'num' }, String(d.attempts)),
      h('td', {}, d.lastStatus ? `HTTP ${d.lastStatus}` : '', d.lastError && d.lastError !== `HTTP ${d.lastStatus}` ? ` ${d.lastError}` : ''),
      h('td', {}, when(d.createdAt)),
      h('td', {}, d.deliveredAt ? `delivered ${when(d.deliveredAt)}` : d.nextAttemptAt ? `next try ${when(d.nextAttemptAt)}` : '–'),
      h('td', {}, again));
  });
  return h('div', { class: 'card', dataset: { webhook: String(w.id) } },
    h('h4', {}, w.url),
    h('p', { class: 'muted small' }, `${w.channel ? `Channel ${w.channel}` : 'Every channel'} · ${w.events.join(', ')} · added ${when(w.createdAt)} `, remove),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', {}, `Deliveries to ${w.url} (newest first)`),
      h('thead', {}, h('tr', {}, ['Id', 'Event', 'Status', 'Attempts', 'Last answer', 'Created', 'Next', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)))
      : empty('No deliveries yet.'));
}
