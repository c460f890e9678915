// The profile editor: bio, avatar and banner links, featured channel, top eight friends and donation addresses.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { errorBox, field, handleForm, loading, select } from '../ui.js';
import { toast } from '../toast.js';
import { resolveUser, usernames } from './users.js';

export default async function profileTab(slot, ctx, { me, channels }) {
  replace(slot, loading('Loading your profile…'));
  let p;
  let friendNames;
  try {
    p = await api(`/api/profiles/${me.id}`, { signal: ctx.signal });
    friendNames = await usernames(p.topFriends || [], { signal: ctx.signal });
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(slot, errorBox(error, () => profileTab(slot, ctx, { me, channels })));
    return;
  }
  const fields = {
    bio: field({ label: 'Bio', name: 'bio', multiline: true, value: p.bio || '', hint: 'Up to 2000 characters, shown on your channel page.' }),
    avatarUrl: field({ label: 'Avatar image URL', name: 'avatarUrl', type: 'url', value: p.avatarUrl || '', hint: 'A link to an image (https://…).' }),
    bannerUrl: field({ label: 'Banner image URL', name: 'bannerUrl', type: 'url', value: p.bannerUrl || '' }),
    topFriends: field({ label: 'Top friends', name: 'topFriends', value: friendNames.join(', '), hint: 'Up to eight usernames (or user ids), separated by commas, in the order to show them.' }),
  };
  const featured = select({
    label: 'Featured channel', name: 'featuredChannelId', value: p.featuredChannelId ?? '',
    options: [{ value: '', label: 'None' }, ...channels.map(c => ({ value: c.id, label: `${c.title} (${c.slug})` }))],
  });
  const addressError = h('p', { class: 'error', role: 'alert', hidden: true });
  const rows = h('div', { class: 'stack' });
  const addRow = (a = { currency: '', address: '', note: '' }) => {
    const currency = field({ label: 'Currency', name: 'currency', value: a.currency, hint: 'e.g. BTC, ETH' });
    const address = field({ label: 'Address', name: 'address', value: a.address });
    const note = field({ label: 'Note', name: 'note', value: a.note || '' });
    const remove = h('button', { type: 'button', class: 'btn btn-small' }, 'Remove address');
    const row = h('fieldset', {}, h('legend', {}, 'Donation address'), currency.wrap, address.wrap, note.wrap, remove);
    row.read = () => ({ currency: currency.input.value.trim(), address: address.input.value.trim(), note: note.input.value.trim() || null });
    remove.addEventListener('click', () => row.remove());
    rows.append(row);
  };
  (p.donationAddresses || []).forEach(addRow);
  const add = h('button', { type: 'button', class: 'btn', onclick: () => addRow() }, 'Add a donation address');
  fields.donationAddresses = {
    setError(message) { addressError.hidden = !message; addressError.textContent = message || ''; },
  };
  fields.featuredChannelId = { setError() {} };
  const form = h('form', { class: 'card', novalidate: true },
    fields.bio.wrap, fields.avatarUrl.wrap, fields.bannerUrl.wrap, featured.wrap, fields.topFriends.wrap,
    h('h3', {}, 'Donation addresses'),
    h('p', { class: 'muted small' }, 'Viewers send crypto straight to these addresses; Cascade Live never holds funds. BTC and ETH addresses are checked for typos.'),
    rows, addressError, h('p', {}, add),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save profile'));
  handleForm(form, fields, async () => {
    let friends;
    try {
      const names = fields.topFriends.input.value.split(',').map(s => s.trim()).filter(Boolean);
      friends = (await Promise.all(names.map(resolveUser))).map(u => u.id);
    } catch (error) {
      fields.topFriends.setError(error.message);
      throw error;
    }
    await api(`/api/profiles/${me.id}`, {
      method: 'PUT',
      body: {
        bio: fields.bio.input.value, avatarUrl: fields.avatarUrl.input.value.trim() || null, bannerUrl: fields.bannerUrl.input.value.trim() || null,
        featuredChannelId: featured.input.value ? Number(featured.input.value) : null, topFriends: friends,
        donationAddresses: [...rows.children].map(r => r.read()),
      },
    });
    toast('Profile saved.', { kind: 'success' });
  });
  replace(slot, form);
}
