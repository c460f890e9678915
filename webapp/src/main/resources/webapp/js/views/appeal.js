// /appeal: appeal an action taken against your account. The link in the notice mail carries ?token= (a suspended
// account cannot sign in); signed in, the page lists every action taken against the account.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { errorBox, field, handleForm, loading } from '../ui.js';
import * as session from '../session.js';

function describeAction(e) {
  return `${e.kind.replace(/_/g, ' ')} on ${new Date(e.createdAt).toLocaleString()}: ${e.reason}`;
}

function appealForm(item, token) {
  const e = item.enforcement;
  const box = h('li', { class: 'card form-narrow', 'data-enforcement': e.id }, h('p', {}, h('strong', {}, describeAction(e))));
  if (item.appeal) {
    box.append(h('p', { class: 'appeal-state' }, `Your appeal is ${item.appeal.state}.`, item.appeal.decisionNote ? ` ${item.appeal.decisionNote}` : ''));
    return box;
  }
  if (!item.appealable) {
    box.append(h('p', {}, 'This action was reversed.'));
    return box;
  }
  const statement = field({ label: 'Why was this wrong?', name: 'statement', multiline: true, required: true, hint: 'An administrator reads it and decides; you are told by e-mail.' });
  const form = h('form', { novalidate: true }, statement.wrap, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send the appeal'));
  handleForm(form, { statement }, async () => {
    const a = await api('/api/appeals', { method: 'POST', body: token ? { token, statement: statement.input.value } : { enforcementId: e.id, statement: statement.input.value } });
    replace(form, h('p', { class: 'appeal-state', role: 'status' }, `Your appeal is ${a.state}. You will be told the decision by e-mail.`));
  });
  box.append(form);
  return box;
}

export default async function appealView(outlet, ctx) {
  ctx.setTitle('Appeals');
  const token = ctx.query.get('token');
  replace(outlet, loading());
  try {
    let items;
    if (token) items = [await api(`/api/appeals/enforcement?token=${encodeURIComponent(token)}`, { signal: ctx.signal })];
    else if (session.user()) items = (await api('/api/appeals', { signal: ctx.signal })).items;
    else {
      replace(outlet, h('h1', {}, 'Appeals'), h('p', {}, 'Open the link from the notice mail, or ', h('a', { href: '/login?next=/appeal' }, 'log in'), ' to see actions taken on your account.'));
      return;
    }
    replace(outlet, h('h1', {}, 'Appeals'),
      items.length ? h('ul', { class: 'stack plain' }, items.map(i => appealForm(i, token))) : h('p', { class: 'empty' }, 'No action was taken against your account.'));
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(outlet, h('h1', {}, 'Appeals'), errorBox(error));
  }
}
