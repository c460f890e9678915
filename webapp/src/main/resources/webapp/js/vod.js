// The rail of published recordings and clips under a channel, and the VOD player they open. A node without the
// recordings feature (404) just shows a note.
import { h, replace } from './dom.js';
import { describe } from './api.js';
import { duration, when } from './format.js';
import { loadHls } from './hls-loader.js';
import { empty, loading } from './ui.js';
import { recordings, playable } from './recordings-api.js';
import { reportButton } from './safety-ui.js';
import { withAgeProof } from './age-proof.js';
import * as session from './session.js';

export function vodRail(channel, { signal } = {}) {
  const list = h('div', {}, loading('Loading recordings…'));
  const playerSlot = h('div');
  const el = h('section', { class: 'section', 'aria-labelledby': 'vod-h' },
    h('h2', { id: 'vod-h' }, 'Recordings and clips'), playerSlot, list);
  let current = null;
  const open = item => {
    current?.destroy();
    current = new VodPlayer(item, { ownerId: channel.ownerId });
    replace(playerSlot, current.el);
    current.start();
    current.video.focus();
  };
  (async () => {
    try {
      const page = await recordings.list(channel.slug, { signal });
      // Owners see their drafts in the list too; the rail is what viewers see.
      const items = page.items.filter(r => r.published && playable(r));
      if (!items.length) { replace(list, empty('No published recordings or clips yet.')); return; }
      replace(list, h('ul', { class: 'rail' }, items.map(r => h('li', { class: 'vod-item', dataset: { recording: String(r.id) } },
        r.thumbnailUrl ? h('img', { class: 'vod-thumb', src: r.thumbnailUrl, alt: '', loading: 'lazy' }) : null,
        h('strong', {}, r.title),
        h('span', { class: 'muted small' }, [r.clip ? 'Clip' : 'Broadcast', duration(r.duration), when(r.startedAt)].join(' · ')),
        h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Play ${r.title}`, onclick: () => open(r) }, 'Play')))));
    } catch (error) {
      if (error.name === 'AbortError') return;
      replace(list, error.status === 404
        ? h('p', { class: 'muted' }, 'Recordings are not available on this node yet.')
        : h('p', { class: 'muted' }, `Recordings could not be loaded: ${describe(error)}`));
    }
  })();
  el.destroy = () => current?.destroy();
  return el;
}

/**
 * Plays one recording. The MP4/WebM file itself is the simplest source (the server answers byte ranges, so seeking
 * works); the HLS VOD playlist is the fallback for a browser that can't play the file's codecs natively but can
 * through Media Source.
 */
export class VodPlayer {
  /** @param ownerId the channel owner's id: everyone else signed in gets a button reporting the recording */
  constructor(item, { ownerId = null } = {}) {
    this.item = item;
    const me = session.user();
    const report = me && ownerId !== null && me.id !== ownerId
      ? reportButton({ kind: 'recording', id: item.id, label: `${item.clip ? 'Clip' : 'Recording'}: ${item.title}` }, 'Report',
        { ariaLabel: `Report ${item.clip ? 'clip' : 'recording'} ${item.title} to the administrators` })
      : null;
    this.video = h('video', { controls: true, playsinline: true, preload: 'metadata', poster: item.thumbnailUrl || null, 'aria-label': `Recording: ${item.title}` });
    this.message = h('p', { class: 'muted small', role: 'status' });
    this.el = h('div', { class: 'player vod-player', dataset: { recording: String(item.id) } },
      h('div', { class: 'player-stage' }, this.video),
      h('div', { class: 'player-bar' }, h('span', { class: 'status' }, item.title), this.message, report));
    this.el.cascadeVod = this;
  }

  async start() {
    const { mediaUrl, playlistUrl } = this.item;
    if (!mediaUrl && !playlistUrl) { this.message.textContent = 'This recording has no playable file yet.'; return; }
    if (mediaUrl) {
      // A mature channel's recordings need the age gate's proof, as its live playback does.
      this.video.src = withAgeProof(mediaUrl);
      this.video.addEventListener('error', () => this.fallBack(), { once: true });
    } else {
      this.fallBack();
    }
  }

  async fallBack() {
    const url = this.item.playlistUrl;
    if (!url || this.hls) { this.message.textContent = 'This browser cannot play this recording.'; return; }
    try {
      const Hls = await loadHls();
      if (!Hls.isSupported()) { this.message.textContent = 'This browser cannot play this recording.'; return; }
      this.video.removeAttribute('src');
      this.hls = new Hls();
      this.hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) this.message.textContent = 'This recording could not be played.'; });
      this.hls.loadSource(withAgeProof(url));
      this.hls.attachMedia(this.video);
    } catch (error) {
      this.message.textContent = describe(error);
    }
  }

  /** Diagnostics for tests: how far playback got. */
  stats() {
    const q = this.video.getVideoPlaybackQuality?.();
    return { currentTime: this.video.currentTime, readyState: this.video.readyState, framesDecoded: q ? q.totalVideoFrames : 0, error: this.video.error?.message || null };
  }

  destroy() {
    this.hls?.destroy();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
