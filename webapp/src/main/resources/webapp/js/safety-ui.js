// Viewer-facing trust and safety: the report dialog (to the site's administrators) and the age gate of mature channels.
import { h, replace, uid } from './dom.js';
import { api } from './api.js';
import { checkbox, field, handleForm, select } from './ui.js';
import { rememberAgeProof, ageProof } from './age-proof.js';
import { toast, toastError } from './toast.js';
import * as session from './session.js';

const REASONS = ['spam', 'harassment', 'hate', 'sexual_content', 'violence', 'self_harm', 'minor_safety', 'copyright',
  'impersonation', 'illegal', 'other'];

/**
 * A button that reports to the site's administrators. `subjects` is one subject or a list the person chooses from
 * (a chat line: the message or its author's account): { kind: channel|user|message|recording, id, label }.
 * `alsoModerators(details)`, when given, adds a box "Also tell this channel's moderators" (checked) and is called with
 * the person's words when it stays checked (a chat message goes to the channel's own moderation queue too).
 */
export function reportButton(subjects, label = 'Report', { ariaLabel = null, className = 'btn btn-small', alsoModerators = null } = {}) {
  const button = h('button', { type: 'button', class: className, 'aria-label': ariaLabel }, label);
  button.addEventListener('click', () => openReportDialog(subjects, { opener: button, alsoModerators }));
  return button;
}

/** The report dialog itself; focus returns to `opener` when it closes. */
export function openReportDialog(subjects, { opener = null, alsoModerators = null } = {}) {
  if (!session.user()) {
    toast('Log in to report.', { kind: 'error' });
    return;
  }
  const list = Array.isArray(subjects) ? subjects : [subjects];
  const headingId = uid('report-h');
  const what = list.length > 1
    ? select({ label: 'What are you reporting?', name: 'subject', value: '0', options: list.map((s, i) => ({ value: String(i), label: s.label })) })
    : null;
  const reason = select({ label: 'Reason', name: 'reason', value: 'spam', options: REASONS.map(r => ({ value: r, label: r.replace(/_/g, ' ') })) });
  const details = field({ label: 'What is wrong? (optional)', name: 'details', multiline: true, attrs: { maxlength: '2000' } });
  const moderators = alsoModerators ? checkbox({ label: 'Also tell this channel\'s moderators', name: 'alsoModerators', checked: true }) : null;
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const single = list.length === 1 ? ` this ${list[0].kind}` : '';
  const form = h('form', { novalidate: true },
    h('h2', { id: headingId }, `Report${single} to the administrators`),
    list.length === 1 && list[0].label ? h('p', { class: 'muted small' }, list[0].label) : null,
    what?.wrap, reason.wrap, details.wrap, moderators?.wrap,
    h('p', { class: 'muted small' }, 'The site\'s administrators see your report, your account name and what you write here.'),
    h('div', { class: 'row' }, h('span', { class: 'spacer' }), cancel, h('button', { type: 'submit', class: 'btn btn-danger' }, 'Send report')));
  const dialog = h('dialog', { 'aria-labelledby': headingId, class: 'report-dialog' }, form);
  // Focus goes back to the opener once the dialog has really closed (its 'close' event): focused from inside the
  // submit handler, the page outside could still be inert for the closing modal, and the focus stayed nowhere.
  const close = () => dialog.close();
  // An opener rebuilt while the dialog was open (a chat line's buttons follow role changes) is found again by its label.
  const openerLabel = opener?.getAttribute('aria-label');
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = opener?.isConnected ? opener
      : openerLabel ? [...document.querySelectorAll('button[aria-label]')].find(b => b.getAttribute('aria-label') === openerLabel) : null;
    target?.focus();
  });
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', event => { event.preventDefault(); close(); });
  handleForm(form, { reason, details }, async () => {
    const subject = list[what ? Number(what.input.value) : 0];
    const text = details.input.value.trim();
    await api('/api/reports', { method: 'POST', body: { subjectKind: subject.kind, subjectId: subject.id, reason: reason.input.value, details: text || null } });
    if (moderators?.input.checked) {
      try { await alsoModerators(text || reason.input.value.replace(/_/g, ' ')); } catch { /* the site report went in; the channel's own queue is a courtesy */ }
    }
    close();
    toast('Thank you: the administrators will look at it.', { kind: 'success' });
  });
  document.body.append(dialog);
  dialog.showModal();
  (what || reason).input.focus();
}

const ANON_KEY = 'cascade-age-confirmed';

/** Asks the server for the proof WHEP and HLS want (signed in: the birth year decides; anonymous: the declaration). */
async function fetchProof(anonymous) {
  const r = await api('/api/age-gate', { method: 'POST', body: anonymous ? { confirmAdult: true } : {} });
  rememberAgeProof(r);
  return r;
}

/**
 * The age gate before a mature channel plays: a signed-in viewer's confirmed birth year decides (asked once if not
 * given yet); an anonymous viewer confirms on an interstitial, remembered for the browser session. Passing it fetches
 * the server's proof (WHEP and HLS refuse a mature channel without it). Resolves true when the viewer may watch.
 */
export function ageGate(outlet, ctx, channel) {
  return new Promise(resolve => {
    ctx.signal?.addEventListener('abort', () => resolve(false));
    const heading = h('h1', {}, channel.title);
    const note = h('p', {}, 'This channel is marked as mature: it is for viewers aged 18 or older.');
    const leave = h('a', { href: '/', class: 'btn' }, 'Leave');
    // A failed proof request still lets the page show: the player then says why it cannot play.
    const pass = anonymous => fetchProof(anonymous).then(() => resolve(true), error => { toastError(error); resolve(true); });
    const me = session.user();
    if (!me) {
      if (ageProof()) { resolve(true); return; }
      if (sessionStorage.getItem(ANON_KEY) === '1') { pass(true); return; }
      const yes = h('button', { type: 'button', class: 'btn btn-primary' }, 'I am 18 or older');
      yes.addEventListener('click', () => { sessionStorage.setItem(ANON_KEY, '1'); yes.disabled = true; pass(true); });
      replace(outlet, h('section', { class: 'card form-narrow age-gate', 'aria-labelledby': 'age-gate-h' },
        h('h1', { id: 'age-gate-h' }, channel.title), note, h('div', { class: 'row' }, yes, leave)));
      yes.focus();
      return;
    }
    api('/api/me/birth-year').then(s => {
      if (s.adult) { pass(false); return; }
      if (s.birthYear) {
        replace(outlet, heading, note, h('p', {}, 'Your confirmed birth year does not open it.'), leave);
        resolve(false);
        return;
      }
      const year = field({ label: 'Your year of birth', name: 'birthYear', type: 'number', required: true, hint: 'Asked once, kept with your account.' });
      const form = h('form', { class: 'card form-narrow age-gate', novalidate: true }, year.wrap, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Confirm'), leave));
      handleForm(form, { birthYear: year }, async () => {
        const r = await api('/api/me/birth-year', { method: 'PUT', body: { birthYear: Number(year.input.value) } });
        if (r.adult) pass(false);
        else { replace(outlet, heading, note, h('p', {}, 'This channel is not for you yet.'), leave); resolve(false); }
      });
      replace(outlet, heading, note, form);
      year.input.focus();
    }, () => resolve(false));
  });
}
