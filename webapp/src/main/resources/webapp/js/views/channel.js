// The channel page /c/{slug}: the live player, title and viewer count, follow button, chat, the streamer's profile
// card and the rail of recordings and clips.
import { h, replace } from '../dom.js';
import { api } from '../api.js';
import { Player } from '../player.js';
import { ChatPanel } from '../chat.js';
import { profileCard } from '../profile-card.js';
import { vodRail } from '../vod.js';
import { copyButton, errorBox, loading } from '../ui.js';
import { plural } from '../format.js';
import * as session from '../session.js';
import { toastError } from '../toast.js';
import { ageGate, reportButton } from '../safety-ui.js';

export default async function channelView(outlet, ctx) {
  const slug = ctx.params.slug;
  replace(outlet, loading('Loading the channel…'));
  // A private channel's link carries its viewer token (?token=cvt_…): it opens the JSON, the chat and the playback.
  const viewerToken = ctx.query.get('token');
  const tokenHeaders = viewerToken ? { 'X-Viewer-Token': viewerToken } : {};
  let channel;
  try {
    channel = await api(`/api/channels/${encodeURIComponent(slug)}`, { signal: ctx.signal, headers: tokenHeaders });
  } catch (error) {
    if (error.name === 'AbortError') return undefined;
    if (error.type === 'urn:cascade:private-channel') {
      ctx.setTitle('Private channel');
      replace(outlet, h('h1', {}, 'This channel is private'), h('p', { class: 'muted' }, error.message));
      return undefined;
    }
    ctx.setTitle('Channel not found');
    replace(outlet, h('h1', {}, error.status === 404 ? 'Channel not found' : 'This channel could not be loaded'),
      errorBox(error, error.status === 404 ? null : () => channelView(outlet, ctx)));
    return undefined;
  }
  ctx.setTitle(channel.title);
  if (channel.mature && !await ageGate(outlet, ctx, channel)) return undefined;

  const meta = h('p', { class: 'channel-meta' });
  const title = h('h1', {}, channel.title);
  const showChannel = c => {
    title.textContent = c.title;
    replace(meta,
      h('span', { class: `badge ${c.live ? 'badge-live' : 'badge-offline'}` }, c.live ? 'LIVE' : 'Offline'),
      c.live ? h('span', {}, `${plural(c.viewerCount, 'viewer')} watching ·`) : null,
      h('span', {}, `${plural(c.followerCount, 'follower')} ·`),
      h('a', { href: `/category/${encodeURIComponent(c.category)}` }, c.category));
  };
  showChannel(channel);

  const player = new Player({ slug: channel.slug, mode: ctx.query.get('playback') === 'hls' ? 'hls' : 'auto', channel, onChannel: showChannel, viewerToken });
  const chat = new ChatPanel(channel, { viewerToken });
  const rail = vodRail(channel, { signal: ctx.signal });
  const embedCode = () => `<iframe src="${location.origin}/embed/${encodeURIComponent(channel.slug)}" width="960" height="540" allow="autoplay; fullscreen" allowfullscreen title="${channel.title.replace(/"/g, '&quot;')} on Cascade Live"></iframe>`;

  replace(outlet, h('div', { class: 'channel-layout' },
    h('div', { class: 'channel-main' },
      player.el,
      h('div', { class: 'channel-head' },
        h('div', {},
          title,
          meta,
          channel.tags?.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' },
            channel.tags.map(t => h('li', {}, h('a', { class: 'tag', href: `/?q=${encodeURIComponent(t)}` }, `#${t}`)))) : null),
        h('div', { class: 'row' },
          followButton(channel, showChannel),
          copyButton(embedCode, 'Copy embed code', 'Copy embed code for this player'),
          session.user() && session.user().id !== channel.ownerId ? reportButton({ kind: 'channel', id: channel.id, label: `Channel: ${channel.title}` }, 'Report channel') : null)),
      profileCard(channel.ownerId, { signal: ctx.signal }),
      rail),
    h('aside', { class: 'channel-side', 'aria-label': 'Chat' }, chat.el)));

  player.start();
  chat.start();
  return () => {
    player.destroy();
    chat.destroy();
    rail.destroy();
  };
}

function followButton(channel, showChannel) {
  if (!session.user()) {
    return h('a', { class: 'btn', href: `/login?next=${encodeURIComponent(location.pathname)}` }, 'Log in to follow');
  }
  const button = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', disabled: true }, 'Follow');
  let following = false;
  const sync = () => {
    button.setAttribute('aria-pressed', String(following));
    button.className = following ? 'btn' : 'btn btn-primary';
    button.textContent = following ? 'Following' : 'Follow';
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const r = await api(`/api/channels/${encodeURIComponent(channel.slug)}/follow`, { method: following ? 'DELETE' : 'POST' });
      following = r.following;
      channel.followerCount = r.followerCount;
      showChannel(channel);
      sync();
    } catch (error) {
      toastError(error);
    } finally {
      button.disabled = false;
    }
  });
  isFollowing(channel.id).then(f => { following = f; sync(); button.disabled = false; }, () => { button.disabled = false; sync(); });
  sync();
  button.disabled = true;
  return button;
}

/** Whether the signed-in user follows the channel: walks their follows (there is no per-channel flag). */
async function isFollowing(channelId) {
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const r = await api(`/api/channels?followed=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (r.items.some(c => c.id === channelId)) return true;
    if (!r.next) return false;
    cursor = r.next;
  }
  return false;
}
