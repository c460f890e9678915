// The account: change the password (which ends every other session) and log out everywhere.
import { h, replace } from '../dom.js';
import { confirmDialog, field, handleForm } from '../ui.js';
import { toast, toastError } from '../toast.js';
import * as session from '../session.js';
import { birthYearCard, dataCard, notificationsCard } from './settings.js';

export default function accountTab(slot, ctx, { me }) {
  const fields = {
    currentPassword: field({ label: 'Current password', name: 'currentPassword', type: 'password', required: true, autocomplete: 'current-password' }),
    newPassword: field({ label: 'New password', name: 'newPassword', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 10 characters.' }),
  };
  const form = h('form', { class: 'card form-narrow', novalidate: true, 'aria-labelledby': 'pw-h' },
    h('h3', { id: 'pw-h' }, 'Change password'),
    h('p', { class: 'muted small' }, 'This also logs you out on every other device.'),
    Object.values(fields).map(f => f.wrap),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password'));
  handleForm(form, fields, async () => {
    await session.changePassword(fields.currentPassword.input.value, fields.newPassword.input.value);
    fields.currentPassword.input.value = '';
    fields.newPassword.input.value = '';
    toast('Password changed. Other sessions were logged out.', { kind: 'success' });
  });
  const everywhere = h('button', { type: 'button', class: 'btn btn-danger' }, 'Log out everywhere');
  everywhere.addEventListener('click', async () => {
    if (!await confirmDialog('Log out on every device, this one included?', { confirmLabel: 'Log out everywhere', danger: true })) return;
    try {
      const n = await session.logoutEverywhere();
      toast(`Logged out of ${n} session${n === 1 ? '' : 's'}.`, { kind: 'success' });
      ctx.navigate('/login');
    } catch (error) {
      toastError(error);
    }
  });
  replace(slot,
    h('div', { class: 'card form-narrow' },
      h('p', {}, 'Signed in as ', h('strong', {}, me.username), me.email ? ` (${me.email})` : '', me.role === 'admin' ? ', administrator' : '', '.')),
    form,
    h('div', { class: 'card form-narrow' }, h('h3', {}, 'Sessions'), h('p', { class: 'muted small' }, 'Lost a device, or used a shared computer?'), everywhere),
    notificationsCard(), birthYearCard(), dataCard(ctx),
    h('p', { class: 'form-narrow' }, h('a', { href: '/appeal' }, 'Actions taken on your account, and appeals')));
}
