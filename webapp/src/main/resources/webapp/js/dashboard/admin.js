// Administration (admins only): users and channels with suspend / restore, ending a live stream, and taking down
// recordings.
import { h, replace } from '../dom.js';
import { api, describe } from '../api.js';
import { recordings } from '../recordings-api.js';
import { when } from '../format.js';
import { confirmDialog, empty, errorBox, field, handleForm, liveBadge, loading, promptDialog } from '../ui.js';
import { toast, toastError } from '../toast.js';
import { usernames } from './users.js';

export default async function adminTab(slot, ctx) {
  const users = h('div', {}, loading());
  const channels = h('div', {}, loading());
  const vods = h('div');
  replace(slot,
    h('section', { class: 'section', 'aria-labelledby': 'adm-users-h' }, h('h3', { id: 'adm-users-h' }, 'Users'), users),
    h('section', { class: 'section', 'aria-labelledby': 'adm-ch-h' }, h('h3', { id: 'adm-ch-h' }, 'Channels'), channels),
    h('section', { class: 'section', 'aria-labelledby': 'adm-vod-h' }, h('h3', { id: 'adm-vod-h' }, 'Take down recordings'), vods));

  const act = async (question, label, fn, done) => {
    if (question && !await confirmDialog(question, { confirmLabel: label, danger: true })) return;
    try { await fn(); done(); } catch (error) { toastError(error); }
  };

  const loadUsers = async (cursor = null, append = false) => {
    try {
      const page = await api(`/api/users?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { signal: ctx.signal });
      const rows = page.items.map(u => h('tr', {},
        h('td', {}, u.username, u.role === 'admin' ? h('span', { class: 'muted small' }, ' (admin)') : null),
        h('td', {}, u.email || ''),
        h('td', {}, when(u.createdAt)),
        h('td', {}, u.suspended ? 'suspended' : 'active'),
        h('td', {}, h('button', {
          type: 'button', class: u.suspended ? 'btn btn-small' : 'btn btn-small btn-danger',
          'aria-label': `${u.suspended ? 'Restore' : 'Suspend'} ${u.username}`,
          onclick: () => act(u.suspended ? null : `Suspend ${u.username}? Their sessions end at once and their channels disappear.`, 'Suspend',
            () => api(`/api/users/${u.id}/${u.suspended ? 'restore' : 'suspend'}`, { method: 'POST' }), () => loadUsers()),
        }, u.suspended ? 'Restore' : 'Suspend'))));
      const more = page.next ? h('button', { type: 'button', class: 'btn', onclick: () => loadUsers(page.next, true) }, 'More users') : null;
      if (append) {
        users.querySelector('tbody').append(...rows);
        users.querySelector('.more')?.replaceChildren(more || '');
        return;
      }
      replace(users, h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden' }, 'Users'),
        h('thead', {}, h('tr', {}, ['User', 'Email', 'Joined', 'Status', 'Action'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows))), h('p', { class: 'more' }, more));
    } catch (error) {
      if (error.name !== 'AbortError') replace(users, errorBox(error, () => loadUsers()));
    }
  };

  const loadChannels = async () => {
    try {
      const page = await api('/api/channels?includeSuspended=true&limit=100', { signal: ctx.signal });
      const ownerIds = [...new Set(page.items.map(c => c.ownerId))];
      const names = new Map((await usernames(ownerIds, { signal: ctx.signal })).map((n, i) => [ownerIds[i], n]));
      replace(channels, page.items.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', { class: 'visually-hidden' }, 'Channels'),
        h('thead', {}, h('tr', {}, ['Channel', 'Owner', 'Status', 'Actions'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, page.items.map(c => h('tr', {},
          h('td', {}, h('a', { href: `/c/${encodeURIComponent(c.slug)}` }, c.title), h('span', { class: 'muted small' }, ` ${c.slug}`)),
          h('td', {}, names.get(c.ownerId) ?? `user ${c.ownerId}`),
          h('td', {}, c.suspended ? 'suspended' : c.live ? liveBadge() : 'offline'),
          h('td', {}, h('div', { class: 'row' },
            c.live ? h('button', {
              type: 'button', class: 'btn btn-small btn-danger', 'aria-label': `End stream of ${c.slug}`,
              onclick: () => act(`End the live stream of ${c.slug} now?`, 'End stream',
                () => api(`/api/channels/${encodeURIComponent(c.slug)}/stream/stop`, { method: 'POST' }), loadChannels),
            }, 'End stream') : null,
            h('button', {
              type: 'button', class: c.suspended ? 'btn btn-small' : 'btn btn-small btn-danger', 'aria-label': `${c.suspended ? 'Restore' : 'Suspend'} ${c.slug}`,
              onclick: () => act(c.suspended ? null : `Suspend ${c.slug}? It goes off the air and disappears for everyone else.`, 'Suspend',
                () => api(`/api/channels/${encodeURIComponent(c.slug)}/${c.suspended ? 'restore' : 'suspend'}`, { method: 'POST' }), loadChannels),
            }, c.suspended ? 'Restore' : 'Suspend')))))))) : empty('No channels.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(channels, errorBox(error, loadChannels));
    }
  };

  const channelField = field({ label: 'Channel address', name: 'channel' });
  const results = h('div');
  const form = h('form', { class: 'card form-narrow', novalidate: true }, channelField.wrap, h('button', { type: 'submit', class: 'btn' }, 'List recordings'));
  handleForm(form, { channel: channelField }, async () => {
    const slug = channelField.input.value.trim();
    let page;
    try {
      page = await recordings.list(slug);
    } catch (error) {
      if (error.status === 404) throw new Error(`No recordings found for “${slug}” (or recordings are not available on this node yet).`);
      throw error;
    }
    replace(results, page.items.length ? h('ul', { class: 'list-plain' }, page.items.map(r => h('li', { class: 'item-row' },
      h('span', {}, r.title, h('span', { class: 'muted small' }, ` ${when(r.startedAt)}${r.published ? ' · published' : ' · draft'}${r.takenDown ? ' · taken down' : ''}`)),
      r.takenDown
        ? h('button', {
          type: 'button', class: 'btn btn-small', 'aria-label': `Restore ${r.title}`, onclick: async () => {
            try { await recordings.restore(r.id); toast('Restored.', { kind: 'success' }); form.requestSubmit(); } catch (error) { toast(describe(error), { kind: 'error' }); }
          },
        }, 'Restore')
        : h('button', {
          type: 'button', class: 'btn btn-small btn-danger', 'aria-label': `Take down ${r.title}`, onclick: async () => {
            const reason = await promptDialog('Why is it taken down? The owner sees this.', { label: 'Reason', confirmLabel: 'Take down' });
            if (!reason) return;
            try { await recordings.takeDown(r.id, reason); toast('Taken down.', { kind: 'success' }); form.requestSubmit(); } catch (error) { toast(describe(error), { kind: 'error' }); }
          },
        }, 'Take down')))) : empty('No recordings.'));
  });
  replace(vods, form, results);
  await Promise.all([loadUsers(), loadChannels()]);
}
