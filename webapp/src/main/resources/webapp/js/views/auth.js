// Log in and sign up. The session lives in the HttpOnly cookie the server sets; this page never sees a token.
import { h, replace, uid } from '../dom.js';
import { field, handleForm } from '../ui.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { toast } from '../toast.js';

/**
 * Only same-origin paths are followed after login, so a crafted link can't bounce people elsewhere. A prefix check is
 * not enough: URL parsing reads a backslash as a slash and drops tabs and newlines, so '/\evil.example' and
 * '/<tab>/evil.example' both become '//evil.example', another host. Those characters are refused outright (also once
 * more percent-decoded, in case something downstream decodes again), and what remains must parse to this origin.
 */
const UNSAFE = /[\\\s\u0000-\u001f\u007f-\u009f]/;

export function nextPath(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || UNSAFE.test(next)) return '/';
  let decoded;
  try { decoded = decodeURIComponent(next); } catch { return '/'; }
  if (decoded.startsWith('//') || UNSAFE.test(decoded)) return '/';
  let url;
  try { url = new URL(next, location.origin); } catch { return '/'; }
  return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
}

export default function auth(outlet, ctx) {
  const signup = ctx.params.mode === 'signup';
  ctx.setTitle(signup ? 'Sign up' : 'Log in');
  const next = nextPath(ctx.query.get('next'));
  const nextQuery = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;

  if (session.user()) {
    replace(outlet, h('section', { class: 'section form-narrow' },
      h('h1', {}, signup ? 'Sign up' : 'Log in'),
      h('p', {}, `You are signed in as ${session.user().username}. `, h('a', { href: next }, 'Continue'), '.')));
    return;
  }

  const fields = signup ? {
    username: field({ label: 'Username', name: 'username', required: true, autocomplete: 'username',
      hint: '3-25 letters, digits or underscores. It is public.' }),
    email: field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    password: field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 10 characters; a few unusual words work well.' }),
  } : {
    login: field({ label: 'Username or email', name: 'login', required: true, autocomplete: 'username' }),
    password: field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
  };
  const submitButton = h('button', { type: 'submit', class: 'btn btn-primary' }, signup ? 'Create account' : 'Log in');
  const form = h('form', { class: 'card form-narrow', novalidate: true },
    Object.values(fields).map(f => f.wrap),
    submitButton);
  // Once the operator published Terms, signing up accepts their current version (recorded with the account).
  let terms = null;
  if (signup) {
    api('/api/legal').then(legal => {
      const d = legal.terms;
      if (!d) return;
      const id = uid('terms');
      const box = h('input', { type: 'checkbox', id, name: 'acceptTerms' });
      const error = h('p', { class: 'error', hidden: true });
      terms = { version: d.version, box };
      fields.termsVersion = { wrap: null, input: box, setError(m) { error.hidden = !m; error.textContent = m || ''; } };
      form.insertBefore(h('div', { class: 'check' }, box, h('label', { for: id }, 'I accept the ', h('a', { href: '/terms', target: '_blank' }, 'Terms of Service'),
        ` (version ${d.version}) and have read the `, h('a', { href: '/privacy', target: '_blank' }, 'Privacy notice'), '.'), error), submitButton);
    }, () => {});
  }
  handleForm(form, fields, async () => {
    if (signup) {
      const user = await session.signup(fields.username.input.value.trim(), fields.email.input.value.trim(), fields.password.input.value,
        terms?.box.checked ? terms.version : undefined);
      toast(`Welcome, ${user.username}! Your account is ready.`, { kind: 'success' });
    } else {
      const user = await session.login(fields.login.input.value.trim(), fields.password.input.value);
      toast(`Signed in as ${user.username}.`, { kind: 'success' });
    }
    ctx.navigate(next, { replace: true });
  });

  replace(outlet, h('section', { class: 'section' },
    h('h1', {}, signup ? 'Create your account' : 'Log in'),
    form,
    h('p', { class: 'muted' }, signup
      ? ['Already have an account? ', h('a', { href: `/login${nextQuery}` }, 'Log in'), '.']
      : ['New here? ', h('a', { href: `/signup${nextQuery}` }, 'Create an account'), '. ',
        h('a', { href: '/forgot-password' }, 'Forgot your password?')])));
}
