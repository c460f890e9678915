// Channels: create, edit (title, category, tags), delete, with links to the studio and the channel page.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { confirmDialog, field, handleForm, empty, liveBadge } from '../ui.js';
import { toast, toastError } from '../toast.js';
import { splitTags } from '../format.js';

export default function channelsTab(slot, ctx, { channels }) {
  replace(slot,
    channels.length ? h('ul', { class: 'list-plain' }, channels.map(c => h('li', {}, editor(ctx, c)))) : empty('You have no channels yet.'),
    createForm(ctx));
}

function editor(ctx, c) {
  const fields = {
    title: field({ label: 'Title', name: 'title', value: c.title, required: true }),
    category: field({ label: 'Category', name: 'category', value: c.category, required: true }),
    tags: field({ label: 'Tags', name: 'tags', value: (c.tags || []).join(', '), hint: 'Separated by commas.' }),
  };
  const del = h('button', { type: 'button', class: 'btn btn-danger' }, 'Delete channel');
  del.addEventListener('click', async () => {
    if (!await confirmDialog(`Delete the channel ${c.slug}? Its chat, follows and history go with it. This cannot be undone.`, { confirmLabel: 'Delete', danger: true })) return;
    try {
      await api(`/api/channels/${encodeURIComponent(c.slug)}`, { method: 'DELETE' });
      toast(`Channel ${c.slug} deleted.`, { kind: 'success' });
      ctx.navigate('/dashboard?tab=channels', { replace: true });
    } catch (error) {
      toastError(error);
    }
  });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': `Edit ${c.slug}` },
    h('div', { class: 'section-head' },
      h('h3', {}, c.slug, ' ', c.live ? liveBadge() : null),
      h('div', { class: 'row' },
        h('a', { href: `/c/${encodeURIComponent(c.slug)}` }, 'Channel page'),
        h('a', { href: `/studio?channel=${encodeURIComponent(c.slug)}` }, 'Studio'))),
    Object.values(fields).map(f => f.wrap),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes'), h('span', { class: 'spacer' }), del));
  handleForm(form, fields, async () => {
    await api(`/api/channels/${encodeURIComponent(c.slug)}`, {
      method: 'PATCH',
      body: { title: fields.title.input.value.trim(), category: fields.category.input.value.trim(), tags: splitTags(fields.tags.input.value) },
    });
    toast(`Saved ${c.slug}.`, { kind: 'success' });
  });
  return form;
}

function createForm(ctx) {
  const fields = {
    slug: field({ label: 'Channel address', name: 'slug', required: true, hint: '3-32 letters, digits, - or _, starting with a letter: your channel lives at /c/<address>.' }),
    title: field({ label: 'Title', name: 'title', required: true }),
    category: field({ label: 'Category', name: 'category', required: true }),
    tags: field({ label: 'Tags', name: 'tags', hint: 'Optional, separated by commas.' }),
  };
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'create-h' },
    h('h3', { id: 'create-h' }, 'Create a channel'),
    Object.values(fields).map(f => f.wrap),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create channel'));
  handleForm(form, fields, async () => {
    const c = await api('/api/channels', {
      method: 'POST',
      body: { slug: fields.slug.input.value.trim(), title: fields.title.input.value.trim(), category: fields.category.input.value.trim(), tags: splitTags(fields.tags.input.value) },
    });
    toast(`Channel ${c.slug} created. Go live from the studio.`, { kind: 'success' });
    ctx.navigate('/dashboard?tab=channels', { replace: true });
  });
  return form;
}
