// The account's settings beyond the password: e-mail notices (all of them, or per followed channel), the birth year
// that opens mature channels, a copy of one's data, and deleting the account.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { checkbox, confirmDialog, errorBox, field, handleForm } from '../ui.js';
import { toast, toastError } from '../toast.js';

export function notificationsCard() {
  const card = h('section', { class: 'card form-narrow', 'aria-labelledby': 'notify-h' }, h('h3', { id: 'notify-h' }, 'E-mail notices'));
  api('/api/me/notifications').then(s => {
    const all = checkbox({ label: 'Mail me when a channel I follow goes live', name: 'liveNotifications', checked: s.liveNotifications });
    all.input.addEventListener('change', () => api('/api/me/notifications', { method: 'PATCH', body: { liveNotifications: all.input.checked } })
      .then(() => toast('Notice setting saved.', { kind: 'success', timeout: 2500 }), toastError));
    const perChannel = s.channels.map(c => {
      const box = checkbox({ label: `${c.title} (${c.slug})`, name: `notify-${c.slug}`, checked: c.notifyLive });
      box.input.addEventListener('change', () => api(`/api/channels/${encodeURIComponent(c.slug)}/follow`,
        { method: 'PATCH', body: { notifyLive: box.input.checked } }).then(() => toast('Saved.', { kind: 'success', timeout: 2500 }), toastError));
      return box.wrap;
    });
    card.append(
      s.mailEnabled ? null : h('p', { class: 'muted small' }, 'This site sends no e-mail (its operator has not set it up); the settings apply once it does.'),
      all.wrap,
      h('h4', {}, 'Per channel'),
      perChannel.length ? h('div', { class: 'stack', role: 'group', 'aria-label': 'Notices per followed channel' }, perChannel)
        : h('p', { class: 'muted small' }, 'You follow no channel yet.'));
  }, error => card.append(errorBox(error)));
  return card;
}

export function birthYearCard() {
  const card = h('section', { class: 'card form-narrow', 'aria-labelledby': 'age-h' }, h('h3', { id: 'age-h' }, 'Age for mature channels'));
  api('/api/me/birth-year').then(s => {
    if (s.birthYear) {
      card.append(h('p', {}, `Confirmed birth year: ${s.birthYear}. `, s.adult ? 'Mature channels play for you.' : 'Mature channels stay closed to you.'));
      return;
    }
    const year = field({ label: 'Year of birth', name: 'birthYear', type: 'number', required: true, hint: 'Asked once; mature channels play from 18.' });
    const form = h('form', { novalidate: true }, year.wrap, h('button', { type: 'submit', class: 'btn' }, 'Confirm'));
    handleForm(form, { birthYear: year }, async () => {
      const r = await api('/api/me/birth-year', { method: 'PUT', body: { birthYear: Number(year.input.value) } });
      replace(card, h('h3', { id: 'age-h' }, 'Age for mature channels'), h('p', {}, `Confirmed birth year: ${r.birthYear}.`));
    });
    card.append(form);
  }, error => card.append(errorBox(error)));
  return card;
}

export function dataCard(ctx) {
  const status = h('p', { class: 'muted small', role: 'status' });
  const exportButton = h('button', { type: 'button', class: 'btn' }, 'Download my data');
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      for (let i = 0; i < 60; i++) {
        const r = await fetch('/api/me/export', { credentials: 'same-origin' });
        if (r.status === 200) {
          const url = URL.createObjectURL(await r.blob());
          const a = h('a', { href: url, download: 'cascade-export.json' }, 'Save the export');
          replace(status, 'Your export is ready: ', a);
          a.click();
          return;
        }
        if (r.status !== 202) throw new Error(`The export failed (HTTP ${r.status}); try again later.`);
        status.textContent = 'Building your export…';
        await new Promise(resolve => setTimeout(resolve, 2000));
      }
      status.textContent = 'The export is still being built; try again in a minute.';
    } catch (error) {
      toastError(error);
    } finally {
      exportButton.disabled = false;
    }
  });
  const password = field({ label: 'Password to confirm deletion', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const del = h('form', { novalidate: true, 'aria-labelledby': 'del-h' }, h('h4', { id: 'del-h' }, 'Delete my account'),
    h('p', { class: 'muted small' }, 'Your account, channels, recordings and messages are erased after a grace period; logging in before then and cancelling keeps it.'),
    password.wrap, h('button', { type: 'submit', class: 'btn btn-danger' }, 'Delete my account'));
  handleForm(del, { password }, async () => {
    if (!await confirmDialog('Delete your account and everything in it?', { confirmLabel: 'Delete', danger: true })) return;
    const r = await api('/api/me', { method: 'DELETE', body: { password: password.input.value } });
    toast(r?.detail || 'Your account was erased.', { kind: 'success', timeout: 10000 });
    ctx.navigate('/');
  });
  return h('section', { class: 'card form-narrow', 'aria-labelledby': 'data-h' },
    h('h3', { id: 'data-h' }, 'Your data'), h('p', { class: 'muted small' }, 'A JSON file of your profile, channels, follows, messages and sessions, with links to your recordings.'),
    exportButton, status, del);
}
