// Password reset by mail: /forgot-password asks for the address, /reset-password?token=… (the mailed link) sets a
// new password. The server answers the first the same way for every address, so this page does too.
import { h, replace } from '../dom.js';
import { field, handleForm } from '../ui.js';
import { api } from '../api.js';
import { toast } from '../toast.js';

export default function passwordReset(outlet, ctx) {
  if (ctx.params.mode === 'request') request(outlet, ctx);
  else choose(outlet, ctx);
}

function request(outlet, ctx) {
  ctx.setTitle('Forgot your password?');
  const fields = {
    email: field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email',
      hint: 'The address of your account. We mail a link that works for one hour.' }),
  };
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'card form-narrow', novalidate: true },
    Object.values(fields).map(f => f.wrap),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send the link'));
  handleForm(form, fields, async () => {
    const answer = await api('/api/auth/password-reset', { method: 'POST', body: { email: fields.email.input.value.trim() } });
    status.textContent = answer.detail;
  });
  replace(outlet, h('section', { class: 'section' },
    h('h1', {}, 'Forgot your password?'), form, status,
    h('p', { class: 'muted' }, 'Remembered it? ', h('a', { href: '/login' }, 'Log in'), '.')));
}

function choose(outlet, ctx) {
  ctx.setTitle('Choose a new password');
  const token = ctx.query.get('token') || '';
  const fields = {
    password: field({ label: 'New password', name: 'password', type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 10 characters. Every session of the account is logged out.' }),
  };
  const form = h('form', { class: 'card form-narrow', novalidate: true },
    Object.values(fields).map(f => f.wrap),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set the new password'));
  handleForm(form, fields, async () => {
    await api('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password: fields.password.input.value } });
    toast('Your password was changed. Log in with the new one.', { kind: 'success' });
    ctx.navigate('/login', { replace: true });
  });
  replace(outlet, h('section', { class: 'section' },
    h('h1', {}, 'Choose a new password'),
    token ? form : h('p', { role: 'alert' }, 'This page needs the link from the mail. ', h('a', { href: '/forgot-password' }, 'Ask for a new one'), '.')));
}
