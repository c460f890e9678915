// Viewer-facing trust and safety: the report dialog (to the site's administrators) and the age gate of mature channels.
import { h, replace } from './dom.js';
import { api } from './api.js';
import { field, handleForm, select } from './ui.js';
import { toast } from './toast.js';
import * as session from './session.js';

const REASONS = ['spam', 'harassment', 'hate', 'sexual_content', 'violence', 'self_harm', 'minor_safety', 'copyright',
  'impersonation', 'illegal', 'other'];

/** A button that reports a subject (channel, user, message or recording) to the site's administrators. */
export function reportButton(subjectKind, subjectId, label = 'Report') {
  const button = h('button', { type: 'button', class: 'btn btn-small' }, label);
  button.addEventListener('click', () => {
    if (!session.user()) {
      toast('Log in to report.', { kind: 'error' });
      return;
    }
    const reason = select({ label: 'Reason', name: 'reason', value: 'spam', options: REASONS.map(r => ({ value: r, label: r.replace(/_/g, ' ') })) });
    const details = field({ label: 'What is wrong? (optional)', name: 'details', multiline: true });
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const form = h('form', { novalidate: true }, h('h2', { id: 'report-h' }, `Report this ${subjectKind} to the administrators`),
      reason.wrap, details.wrap, h('div', { class: 'row' }, h('span', { class: 'spacer' }), cancel, h('button', { type: 'submit', class: 'btn btn-danger' }, 'Send report')));
    const dialog = h('dialog', { 'aria-labelledby': 'report-h' }, form);
    const close = () => { dialog.close(); dialog.remove(); button.focus(); };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', event => { event.preventDefault(); close(); });
    handleForm(form, { reason, details }, async () => {
      await api('/api/reports', { method: 'POST', body: { subjectKind, subjectId, reason: reason.input.value, details: details.input.value || null } });
      close();
      toast('Thank you: the administrators will look at it.', { kind: 'success' });
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.input.focus();
  });
  return button;
}

const ANON_KEY = 'cascade-age-confirmed';

/**
 * The age gate before a mature channel plays: a signed-in viewer's confirmed birth year decides (asked once if not
 * given yet); an anonymous viewer confirms on an interstitial, remembered for the browser session. Resolves true when
 * the viewer may watch.
 */
export function ageGate(outlet, ctx, channel) {
  return new Promise(resolve => {
    ctx.signal?.addEventListener('abort', () => resolve(false));
    const heading = h('h1', {}, channel.title);
    const note = h('p', {}, 'This channel is marked as mature: it is for viewers aged 18 or older.');
    const leave = h('a', { href: '/', class: 'btn' }, 'Leave');
    const me = session.user();
    if (!me) {
      if (sessionStorage.getItem(ANON_KEY) === '1') { resolve(true); return; }
      const yes = h('button', { type: 'button', class: 'btn btn-primary' }, 'I am 18 or older');
      yes.addEventListener('click', () => { sessionStorage.setItem(ANON_KEY, '1'); resolve(true); });
      replace(outlet, h('section', { class: 'card form-narrow age-gate', 'aria-labelledby': 'age-gate-h' },
        h('h1', { id: 'age-gate-h' }, channel.title), note, h('div', { class: 'row' }, yes, leave)));
      yes.focus();
      return;
    }
    api('/api/me/birth-year').then(s => {
      if (s.adult) { resolve(true); return; }
      if (s.birthYear) {
        replace(outlet, heading, note, h('p', {}, 'Your confirmed birth year does not open it.'), leave);
        resolve(false);
        return;
      }
      const year = field({ label: 'Your year of birth', name: 'birthYear', type: 'number', required: true, hint: 'Asked once, kept with your account.' });
      const form = h('form', { class: 'card form-narrow age-gate', novalidate: true }, year.wrap, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Confirm'), leave));
      handleForm(form, { birthYear: year }, async () => {
        const r = await api('/api/me/birth-year', { method: 'PUT', body: { birthYear: Number(year.input.value) } });
        if (r.adult) resolve(true);
        else { replace(outlet, heading, note, h('p', {}, 'This channel is not for you yet.'), leave); resolve(false); }
      });
      replace(outlet, heading, note, form);
      year.input.focus();
    }, () => resolve(false));
  });
}
