// /accept-terms?next=…: where a signed-in person lands when the site published Terms or a Privacy notice they have not
// accepted yet (the API answers writes with 403 urn:cascade:terms-not-accepted until then). Shows each new text in
// full and records the acceptance of the versions shown, then goes back to where they were.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { errorBox, handleForm, loading } from '../ui.js';
import { toast } from '../toast.js';
import * as session from '../session.js';
import { nextPath } from './auth.js';

const NAMES = { terms: 'Terms of Service', privacy: 'Privacy notice' };

export default async function acceptTermsView(outlet, ctx) {
  ctx.setTitle('Accept the updated terms');
  const next = nextPath(ctx.query.get('next'));
  if (!session.user()) {
    replace(outlet, h('h1', {}, 'Accept the updated terms'),
      h('p', {}, h('a', { href: `/login?next=${encodeURIComponent(location.pathname + location.search)}` }, 'Log in'), ' first: acceptance is recorded with your account.'));
    return undefined;
  }
  replace(outlet, loading());
  let pending;
  try {
    const mine = await api('/api/me/legal', { signal: ctx.signal });
    const kinds = Object.keys(NAMES).filter(k => mine.current[k] != null
      && !mine.accepted.some(a => a.kind === k && a.version === mine.current[k]));
    pending = await Promise.all(kinds.map(k => api(`/api/legal/${k}`, { signal: ctx.signal })));
  } catch (error) {
    if (error.name === 'AbortError') return undefined;
    replace(outlet, h('h1', {}, 'Accept the updated terms'), errorBox(error, () => acceptTermsView(outlet, ctx)));
    return undefined;
  }
  if (!pending.length) {
    replace(outlet, h('h1', {}, 'You are up to date'),
      h('p', {}, 'You have accepted the current texts of this site. ', h('a', { href: next }, 'Continue'), '.'));
    return undefined;
  }
  const names = pending.map(d => NAMES[d.kind]).join(' and ');
  const form = h('form', { class: 'row', novalidate: true },
    h('button', { type: 'submit', class: 'btn btn-primary' }, `I accept the ${names}`),
    h('a', { class: 'btn', href: next }, 'Not now'));
  handleForm(form, {}, async () => {
    for (const d of pending) await api('/api/me/legal/accept', { method: 'POST', body: { kind: d.kind, version: d.version } });
    toast('Thank you: accepted.', { kind: 'success' });
    ctx.navigate(next, { replace: true });
  });
  replace(outlet, h('section', { class: 'accept-terms', 'aria-labelledby': 'accept-terms-h' },
    h('h1', { id: 'accept-terms-h' }, `The ${names} changed`),
    h('p', {}, `You can keep watching and reading. To chat, go live, follow or change your channels, accept the new ${pending.length > 1 ? 'versions' : 'version'} below.`),
    // Focusable: the text scrolls inside its box, and a keyboard has to be able to scroll it.
    pending.map(d => h('article', { class: 'legal card', tabindex: '0', 'aria-labelledby': `legal-${d.kind}-h` },
      h('h2', { id: `legal-${d.kind}-h` }, `${NAMES[d.kind]}, version ${d.version}`),
      h('p', { class: 'muted small' }, 'Published ', h('time', { datetime: d.publishedAt }, new Date(d.publishedAt).toLocaleDateString())),
      d.body.split(/\n\s*\n/).map(p => h('p', {}, p)))),
    form));
  return undefined;
}
