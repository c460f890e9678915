// /terms and /privacy: the operator's current text, as plain paragraphs (never HTML from the server).
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { errorBox, loading } from '../ui.js';

export default async function legalView(outlet, ctx) {
  const terms = ctx.params.kind === 'terms';
  const title = terms ? 'Terms of Service' : 'Privacy notice';
  ctx.setTitle(title);
  replace(outlet, loading());
  try {
    // Asked through the index first: a site without the text yet gets a sentence, not a failed request.
    const index = await api('/api/legal', { signal: ctx.signal });
    if (!index[ctx.params.kind]) {
      replace(outlet, h('h1', {}, title), h('p', {}, `The operator of this site has not published ${terms ? 'Terms of Service' : 'a Privacy notice'} yet.`));
      return;
    }
    const d = await api(`/api/legal/${ctx.params.kind}`, { signal: ctx.signal });
    replace(outlet, h('article', { class: 'legal' }, h('h1', {}, title),
      h('p', { class: 'muted small' }, `Version ${d.version}, published `, h('time', { datetime: d.publishedAt }, new Date(d.publishedAt).toLocaleDateString())),
      d.body.split(/\n\s*\n/).map(p => h('p', {}, p))));
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(outlet, h('h1', {}, title), error.status === 404 ? h('p', {}, error.message) : errorBox(error));
  }
}
