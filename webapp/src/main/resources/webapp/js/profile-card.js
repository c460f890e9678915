// The streamer's profile card: banner, avatar, bio, top eight friends, and crypto donation addresses with copy
// buttons. Donations are plain addresses: the platform never touches the money.
import { h, replace } from './dom.js';
import { api } from './api.js';
import { copyButton, errorBox, loading } from './ui.js';
import { reportButton } from './safety-ui.js';
import * as session from './session.js';

/** Only http(s) images: a profile URL is someone else's text. */
function imageUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export function profileCard(ownerId, { signal } = {}) {
  const el = h('section', { class: 'card profile-card', 'aria-labelledby': 'profile-h' }, loading('Loading profile…'));
  const load = async () => {
    try {
      const profile = await api(`/api/profiles/${ownerId}`, { signal });
      const friends = await Promise.all((profile.topFriends || []).slice(0, 8).map(id => friend(id, signal)));
      render(el, profile, friends.filter(Boolean));
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(el, h('div', { class: 'profile-body' }, h('h2', { id: 'profile-h' }, 'About'), errorBox(error, load)));
    }
  };
  load();
  return el;
}

/** A friend's name and, when they have one, their first channel to link to. */
async function friend(id, signal) {
  try {
    const [user, channels] = await Promise.all([
      api(`/api/users/${id}`, { signal }),
      api(`/api/channels?owner=${id}&limit=1`, { signal }),
    ]);
    return { user, channel: channels.items[0] || null };
  } catch {
    return null; // a suspended or deleted friend just isn't shown
  }
}

function render(el, p, friends) {
  const avatar = imageUrl(p.avatarUrl);
  const banner = imageUrl(p.bannerUrl);
  replace(el,
    h('div', { class: 'profile-banner' }, banner ? h('img', { src: banner, alt: '' }) : null),
    h('div', { class: 'profile-body' },
      h('div', { class: 'profile-top' },
        avatar ? h('img', { class: 'avatar', src: avatar, alt: `${p.username}'s avatar` })
          : h('span', { class: 'avatar', 'aria-hidden': 'true' }, p.username.charAt(0).toUpperCase()),
        h('div', {}, h('h2', { id: 'profile-h' }, `About ${p.username}`)),
        // Reporting the account itself (not the channel): what an impersonator or a harasser's profile calls for.
        session.user() && session.user().id !== p.userId
          ? reportButton({ kind: 'user', id: p.userId, label: `${p.username}'s account` }, 'Report user',
            { ariaLabel: `Report user ${p.username} to the administrators` })
          : null),
      p.bio ? h('p', { class: 'bio' }, p.bio) : h('p', { class: 'muted' }, `${p.username} has not written a bio yet.`),
      friends.length ? h('div', {},
        h('h3', {}, 'Top friends'),
        h('ul', { class: 'friends' }, friends.map(f => h('li', {},
          f.channel ? h('a', { class: 'tag', href: `/c/${encodeURIComponent(f.channel.slug)}` }, f.user.username)
            : h('span', { class: 'tag' }, f.user.username))))) : null,
      p.donationAddresses?.length ? h('div', {},
        h('h3', {}, 'Support the streamer'),
        h('p', { class: 'muted small' }, 'Payments go straight to the streamer’s own wallet. Cascade Live never holds, forwards or refunds funds; check the address before you send.'),
        h('ul', { class: 'donations' }, p.donationAddresses.map(a => h('li', {},
          h('span', { class: 'badge' }, a.currency),
          h('code', {}, a.address),
          copyButton(() => a.address, 'Copy', `Copy ${a.currency} address`),
          a.note ? h('span', { class: 'muted small' }, a.note) : null)))) : null));
}
