// /dmca/{id}: the uploader's view of a DMCA notice against their recording, and the counter-notice form.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { checkbox, errorBox, field, handleForm, loading } from '../ui.js';
import * as session from '../session.js';

export default async function dmcaView(outlet, ctx) {
  ctx.setTitle('Copyright notice');
  if (!session.user()) {
    replace(outlet, h('h1', {}, 'Copyright notice'), h('p', {}, h('a', { href: `/login?next=/dmca/${ctx.params.id}` }, 'Log in'), ' to see the notice about your recording.'));
    return;
  }
  replace(outlet, loading());
  try {
    const n = (await api('/api/dmca', { signal: ctx.signal })).items.find(x => String(x.id) === ctx.params.id);
    if (!n) {
      replace(outlet, h('h1', {}, 'Copyright notice'), h('p', {}, 'There is no such notice about your recordings.'));
      return;
    }
    const head = [h('h1', {}, `Copyright notice #${n.id}`),
      h('p', {}, `${n.claimantName} claims that recording ${n.recordingId} infringes "${n.workDescription}". State: `, h('strong', { class: 'dmca-state' }, n.state.replace(/_/g, ' ')), '.')];
    if (n.state !== 'content_disabled') {
      replace(outlet, ...head, n.restoreAfter ? h('p', {}, 'It may be restored from ', h('time', { datetime: n.restoreAfter }, new Date(n.restoreAfter).toLocaleString()), ' unless the claimant reports a court action.') : null);
      return;
    }
    const f = {
      name: field({ label: 'Your full name', name: 'name', required: true }),
      address: field({ label: 'Your postal address', name: 'address', required: true }),
      statement: field({ label: 'Why the material was removed by mistake or misidentification', name: 'statement', multiline: true, required: true }),
      signature: field({ label: 'Signature (type your name)', name: 'signature', required: true }),
    };
    const goodFaith = checkbox({ label: 'I swear, under penalty of perjury, that I have a good-faith belief the material was removed by mistake or misidentification.', name: 'goodFaith' });
    const consent = checkbox({ label: 'I consent to the jurisdiction of the court for my address, and will accept service of process from the claimant.', name: 'consentToJurisdiction' });
    const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'cn-h' }, h('h2', { id: 'cn-h' }, 'Counter-notice'),
      h('p', { class: 'muted small' }, 'It is sent to the claimant, with your name and address. Unless they report a court action within 10 business days, the recording is restored.'),
      Object.values(f).map(x => x.wrap), goodFaith.wrap, consent.wrap, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send the counter-notice'));
    handleForm(form, { ...f, goodFaith: { setError: () => {} }, consentToJurisdiction: { setError: () => {} } }, async () => {
      const r = await api(`/api/dmca/${n.id}/counter-notice`, { method: 'POST', body: {
        ...Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.input.value])), goodFaith: goodFaith.input.checked, consentToJurisdiction: consent.input.checked } });
      replace(form, h('p', { role: 'status', class: 'counter-sent' }, 'Counter-notice sent. It may be restored from ',
        h('time', { datetime: r.notice.restoreAfter }, new Date(r.notice.restoreAfter).toLocaleString()), '.'));
    });
    replace(outlet, ...head, form);
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(outlet, h('h1', {}, 'Copyright notice'), errorBox(error));
  }
}
