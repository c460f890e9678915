// The live player: WebRTC over WHEP first (sub-second), HLS through hls.js when WebRTC can't connect (UDP blocked,
// codec the browser can't decode, node full) or when the viewer asks for it. It shows live / connecting /
// reconnecting / offline, reconnects by itself when the stream drops or comes back, and offers an HLS quality menu.
import { h, replace } from './dom.js';
import { api, describe } from './api.js';
import { WhepClient, WhepError } from './whep.js';
import { WhepExtensions } from './whep-extensions.js';
import { NodeList } from './fleet.js';
import { loadHls, nativeHls } from './hls-loader.js';
import { describePath, selectedRoute, sessionOf } from './ice-servers.js';
import { QoeReporter, sampleOf } from './qoe.js';
import { withAgeProof } from './age-proof.js';

const POLL_LIVE_MS = 10000;
const POLL_OFFLINE_MS = 4000;
const FIRST_FRAME_TIMEOUT_MS = 12000;
// WebRTC tries every path before this: direct UDP, ICE-TCP to the node, then TURN relays (UDP, TCP, TLS on 443) when
// the node offers them. HLS is the fallback only once all of them failed.
const NO_PATH = 'Low-latency playback could not connect over UDP, TCP or a relay on this network.';
/** Longer than the server's publisher grace (10 s): a publisher reconnecting within it keeps our session alive. */
const STALL_RECONNECT_MS = 14000;
const STALL_SHOW_MS = 2500;

const LABELS = {
  loading: 'Loading',
  connecting: 'Connecting',
  live: 'LIVE',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  error: 'Unavailable',
};

export class Player {
  /**
   * @param slug     the channel
   * @param mode     'auto' (WebRTC, HLS as fallback) or 'hls' (HLS only, e.g. ?playback=hls)
   * @param channel  the channel JSON when the page already has it
   * @param onChannel called with fresh channel JSON on every poll (viewer count, live flag)
   * @param embed    true on /embed: adds a link back to the channel page
   */
  constructor({ slug, mode = 'auto', channel = null, onChannel = () => {}, onState = () => {}, embed = false, viewerToken = null }) {
    this.slug = slug;
    this.viewerToken = viewerToken;
    this.mode = mode === 'hls' ? 'hls' : 'auto';
    this.protocol = this.mode === 'hls' ? 'hls' : 'webrtc';
    this.channel = channel;
    this.onChannel = onChannel;
    this.onState = onState;
    this.embed = embed;
    this.state = 'loading';
    this.generation = 0;
    this.whep = null;
    this.hls = null;
    this.timers = new Set();
    this.failures = 0;
    // When this node stops answering, the player plays from the next node of the fleet (fleet.js).
    this.nodes = new NodeList(slug);
    this.fallbackReason = null;
    this.destroyed = false;
    this.lastFrames = 0;
    this.lastFrameAt = 0;
    this.qoe = new QoeReporter(slug);
    this.build();
  }

  build() {
    this.video = h('video', { playsinline: true, autoplay: true, muted: true, 'aria-label': 'Live video' });
    this.video.muted = true;
    this.overlayText = h('p');
    this.overlayAction = h('div', { class: 'row' });
    this.spinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
    this.overlay = h('div', { class: 'player-overlay', role: 'status' }, this.spinner, this.overlayText, this.overlayAction);
    this.unmuteButton = h('button', { type: 'button', class: 'btn player-unmute', onclick: () => this.setMuted(false) }, 'Unmute');
    this.badge = h('span', { class: 'badge' });
    this.status = h('span', { class: 'status' });
    this.modeSelect = h('select', { 'aria-label': 'Playback mode' },
      h('option', { value: 'auto' }, 'Low latency (WebRTC)'),
      h('option', { value: 'hls' }, 'HLS'));
    this.modeSelect.value = this.mode;
    this.modeSelect.addEventListener('change', () => this.switchMode(this.modeSelect.value));
    this.qualitySelect = h('select', { 'aria-label': 'Quality' });
    this.qualitySelect.addEventListener('change', () => this.setLevel(Number(this.qualitySelect.value)));
    this.qualityWrap = h('span', { hidden: true }, this.qualitySelect);
    this.layerWrap = h('span', { hidden: true }); // WebRTC: the simulcast layer menu (whep-extensions.js)
    this.viewersEl = h('span', { class: 'status', dataset: { role: 'viewers' } });
    this.muteButton = h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.setMuted(!this.video.muted) }, 'Unmute');
    const fullscreen = h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.toggleFullscreen() }, 'Fullscreen');
    this.el = h('div', { class: 'player', dataset: { state: 'loading', protocol: this.protocol } },
      h('div', { class: 'player-stage' }, this.video, this.overlay, this.unmuteButton),
      h('div', { class: 'player-bar' },
        this.badge, this.status, this.viewersEl, h('span', { class: 'spacer' }),
        this.modeSelect, this.qualityWrap, this.layerWrap, this.muteButton, fullscreen,
        this.embed ? h('a', { href: `/c/${encodeURIComponent(this.slug)}`, target: '_blank', rel: 'noopener', class: 'btn btn-small' }, 'Open channel') : null));
    this.el.cascadePlayer = this; // diagnostics (tests read stats() through it)
    this.video.addEventListener('volumechange', () => this.syncMute());
    this.syncMute();
    this.setState('loading', 'Loading the stream…');
  }

  start() {
    this.refresh();
    this.every(POLL_LIVE_MS, async () => {
      if (this.state === 'offline' || this.state === 'error') return;
      const channel = await this.pollChannel();
      // Off the air while we still hold a session: don't wait for the media to time out.
      if (channel && !channel.live && (this.whep || this.hls)) {
        this.whep?.forget(); // the broadcast's end closed our session on the server
        this.drop('The broadcast ended.');
      }
    });
    this.every(1000, () => this.watch());
    const leave = () => this.teardown();
    window.addEventListener('pagehide', leave);
    this.timers.add({ clear: () => window.removeEventListener('pagehide', leave) });
    return this;
  }

  destroy() {
    this.destroyed = true;
    this.teardown();
    this.qoe.destroy();
    for (const t of this.timers) t.clear();
    this.timers.clear();
  }

  every(ms, fn) {
    const id = setInterval(fn, ms);
    this.timers.add({ clear: () => clearInterval(id) });
  }

  later(ms, fn) {
    const id = setTimeout(() => { this.timers.delete(entry); fn(); }, ms);
    const entry = { clear: () => clearTimeout(id) };
    this.timers.add(entry);
  }

  // ---- channel state

  async pollChannel() {
    try {
      this.channel = await api(`/api/channels/${encodeURIComponent(this.slug)}`,
        { headers: this.viewerToken ? { 'X-Viewer-Token': this.viewerToken } : {} });
      this.onChannel(this.channel);
      return this.channel;
    } catch (error) {
      if (error.status === 404) this.fail(describe(error), false);
      return null;
    }
  }

  /** Reads the channel and connects if it is live; otherwise waits for it to go live. */
  async refresh() {
    if (this.destroyed) return;
    const gen = ++this.generation;
    const channel = await this.pollChannel();
    if (gen !== this.generation || this.destroyed) return;
    if (!channel) {
      if (this.state === 'error') return;
      // The page's node is gone: play from the node we moved to, or from the next one of the fleet (the channel was
      // live a moment ago). A WHEP that fails there moves on again.
      if (this.nodes.current || this.nodes.next()) { this.connect(gen); return; }
      this.retryLater('Cannot reach the server; retrying…');
      return;
    }
    if (!channel.live) {
      this.whep?.forget(); // off the air: the broadcast's end closed any session we still hold
      this.teardown();
      this.qoe.idle();
      this.setState('offline', `${channel.title} is offline. This player starts by itself when the stream goes live.`);
      this.later(POLL_OFFLINE_MS, () => this.refresh());
      return;
    }
    this.connect(gen);
  }

  retryLater(message) {
    this.failures += 1;
    const wait = Math.min(15000, 1000 * 2 ** Math.min(this.failures - 1, 4));
    this.setState('reconnecting', message);
    this.later(wait, () => this.refresh());
  }

  connect(gen) {
    if (this.protocol === 'hls') this.connectHls(gen);
    else this.connectWebRtc(gen);
  }

  // ---- WebRTC (WHEP)

  async connectWebRtc(gen) {
    this.teardown();
    this.qoe.attempt('webrtc');
    this.setState(this.state === 'live' || this.state === 'reconnecting' ? 'reconnecting' : 'connecting', 'Connecting…');
    const client = new WhepClient(withAgeProof(this.nodes.whepUrl()));
    client.viewerToken = this.viewerToken;
    this.whep = client;
    try {
      await client.connect({ ontrack: stream => { if (this.video.srcObject !== stream) this.video.srcObject = stream; this.play(); } });
    } catch (error) {
      if (gen !== this.generation || this.whep !== client) return; // left meanwhile
      this.whep = null;
      if (error instanceof WhepError) {
        if (error.status === 409) { this.later((error.retryAfter || 2) * 1000, () => this.refresh()); return; }
        if (error.status === 404) { this.fail(error.message, false); return; }
        if (error.status === 422 || error.status === 503) { this.qoe.error('whep-refused'); this.fallBackToHls(error.message); return; }
      }
      if (error instanceof WhepError && error.status === 0 && this.nodes.next()) { this.later(500, () => this.connect(gen)); return; }
      this.retryLater(`${describe(error)} Retrying…`);
      return;
    }
    if (gen !== this.generation) { client.close(); return; }
    this.nodes.learn();
    const pc = client.pc;
    // Viewer count and quality menu from the node's WHEP extensions, for as long as this session lasts.
    this.extras = new WhepExtensions(client.links, {
      onViewers: n => { this.viewersEl.textContent = `${n} watching`; },
      // The node is draining (or ended this session while the channel is live): play from the next node of the
      // channel's list, or this one again if none is known. Only a session that connected: one that never did was
      // ended by the node's set-up timeout, and the first-frame timer below falls back to HLS for it.
      onReconnect: () => { if (current() && this.everConnected) { this.nodes.next(); this.drop('The server moved this stream.'); } },
      onLost: () => this.nodeLost(client, current),
    });
    replace(this.layerWrap, this.extras.menu);
    this.layerWrap.hidden = false;
    this.extras.start().catch(() => {});
    this.connectedAt = performance.now();
    this.everConnected = false;
    this.lastFrames = 0;
    this.lastFrameAt = performance.now();
    // A client we left keeps its connection until the node answers its DELETE, and the node's close_notify that
    // follows must not be taken for the end of the stream we play now.
    const current = () => gen === this.generation && this.whep === client;
    pc.addEventListener('connectionstatechange', () => {
      if (!current()) return;
      if (pc.connectionState === 'connected') this.everConnected = true;
      if (pc.connectionState === 'failed') {
        client.forget(); // nothing left on the server to DELETE: ICE consent lapses there too
        if (!this.everConnected) this.fallBackToHls(NO_PATH);
        else { this.qoe.error('connection-failed'); this.drop('The connection failed.'); }
      }
    });
    // The server ends our session (broadcast over) with a DTLS close: reconnect or go offline at once.
    const transport = pc.getReceivers()[0]?.transport;
    transport?.addEventListener('statechange', () => {
      if (!current() || (transport.state !== 'closed' && transport.state !== 'failed')) return;
      client.forget(); // the server closed the session itself; a DELETE would only find it gone
      this.drop('The stream ended.');
    });
    this.later(FIRST_FRAME_TIMEOUT_MS, () => {
      if (gen !== this.generation || this.lastFrames > 0) return;
      if (!this.everConnected) this.fallBackToHls(NO_PATH);
      else this.drop('No video arrived.');
    });
  }

  /**
   * The node's event stream broke. If the node no longer answers at all (killed, or cut off for 3 s), play from the
   * next node of the fleet at once: waiting for ICE to give up, or for the stall timer, takes 14 s or more.
   */
  async nodeLost(client, current) {
    if (!current() || !client.location) return;
    try {
      // Opaque is enough: any HTTP answer means the node is there (the stream's own watch then decides).
      await fetch(client.location, { method: 'HEAD', mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(3000) });
      return;
    } catch { /* no answer */ }
    if (!current()) return;
    client.forget(); // nothing there to DELETE
    this.qoe.error('connection-failed');
    if (!this.nodes.next()) { this.drop('The server stopped answering.'); return; }
    this.teardown();
    this.generation += 1;
    this.setState('reconnecting', 'The server stopped answering. Reconnecting…');
    this.connect(this.generation);
  }

  async framesDecoded() {
    return (await this.sample()).frames;
  }

  /** Frames, bytes and picture size now (see qoe.js). */
  sample() {
    return sampleOf(this.whep?.pc, this.video, this.hls);
  }

  /** Once a second: frames advancing means live; a stall shows "reconnecting", a long stall reconnects. */
  async watch() {
    if (!(this.whep || this.hls || this.nativeSource)) return;
    const gen = this.generation;
    const sample = await this.sample();
    const frames = sample.frames;
    if (gen !== this.generation) return;
    const now = performance.now();
    if (this.whep?.pc && !this.route) {
      this.route = await selectedRoute(this.whep.pc);
      this.path = this.route?.path || null;
      // The beacon names the session the relay report is for, so the node believes it for this session only.
      const session = sessionOf(this.whep?.location);
      if (this.route?.relay && session) this.route.relay.session = session;
    }
    this.qoe.tick(sample, frames > this.lastFrames, this.route);
    if (frames > this.lastFrames) {
      this.lastFrames = frames;
      this.lastFrameAt = now;
      this.failures = 0;
      if (this.state !== 'live') this.setState('live');
      this.updateStatus();
      return;
    }
    if (this.lastFrames === 0) return; // still starting: the first-frame timeout decides
    const stalled = now - this.lastFrameAt;
    if (stalled > STALL_SHOW_MS && this.state === 'live') this.setState('reconnecting', 'The stream paused; waiting for it to come back…');
    if (stalled > STALL_RECONNECT_MS) { this.qoe.error('stalled'); this.drop('The stream stopped.'); }
  }

  /** The stream went away under us: clean up and find out whether it is still live. */
  drop(reason) {
    this.teardown();
    this.setState('reconnecting', `${reason} Reconnecting…`);
    this.generation += 1;
    this.later(1000, () => this.refresh());
  }

  fallBackToHls(reason) {
    if (reason === NO_PATH) this.qoe.error('no-path');
    this.fallbackReason = reason;
    this.protocol = 'hls';
    this.el.dataset.protocol = 'hls';
    this.teardown();
    this.connectHls(++this.generation, reason);
  }

  // ---- HLS

  async connectHls(gen, reason = null) {
    this.teardown();
    this.qoe.attempt('hls');
    this.setState('connecting', reason ? `${reason} Switching to HLS…` : 'Connecting over HLS…');
    const url = withAgeProof(`/hls/${encodeURIComponent(this.slug)}/master.m3u8${this.viewerToken ? `?token=${encodeURIComponent(this.viewerToken)}` : ''}`);
    let Hls;
    try {
      Hls = await loadHls();
    } catch (error) {
      if (gen === this.generation) this.fail(describe(error), true);
      return;
    }
    if (gen !== this.generation) return;
    this.lastFrames = 0;
    this.lastFrameAt = performance.now();
    if (Hls.isSupported()) {
      // Catching up at 1.2x keeps hls.js near the live edge; at its default (1x) its latency creeps up from ~2.1 s to 2.6 s.
      const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.2, backBufferLength: 30, manifestLoadingMaxRetry: 1 });
      this.hls = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        if (gen !== this.generation) return;
        this.fillQualityMenu();
        this.play();
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, () => { this.qoe.layerSwitch(); this.updateStatus(); });
      let recoveries = 0;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (gen !== this.generation || !data.fatal) return;
        const code = data.response?.code;
        if (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR && (code === 404 || code === 501)) {
          this.qoe.error('hls-unavailable');
          this.hlsUnavailable(gen);
        } else if (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR && code === 503) {
          // Just went live: the ladder's first segments are on their way.
          this.teardown();
          this.setState('connecting', 'HLS is starting: the first segments are being made…');
          this.later(2000, () => { if (gen === this.generation) this.connectHls(++this.generation); });
        } else if (data.details === Hls.ErrorDetails.LEVEL_LOAD_ERROR && code === 403) {
          // The playback token in the playlist URLs is no longer good (the player was away past its expiry, or the
          // deployment's secret changed): the master playlist hands out a fresh one.
          this.connectHls(++this.generation);
        } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries < 3) {
          recoveries += 1;
          this.qoe.error('media-error');
          hls.recoverMediaError();
        } else {
          this.qoe.error('hls-failed');
          this.drop('HLS playback failed.');
        }
      });
      hls.loadSource(url);
      hls.attachMedia(this.video);
    } else if (nativeHls(this.video)) {
      this.nativeSource = url;
      this.video.src = url;
      this.play();
    } else {
      this.qoe.error('unsupported');
      this.fail('This browser can play neither WebRTC nor HLS streams.', false);
    }
  }

  hlsUnavailable(gen) {
    const reason = this.fallbackReason ? `${this.fallbackReason} ` : '';
    this.teardown();
    this.setState('error', `${reason}HLS not available on this node yet.`);
    replace(this.overlayAction,
      h('button', { type: 'button', class: 'btn', onclick: () => this.switchMode('auto') }, 'Try low latency'),
      h('button', { type: 'button', class: 'btn', onclick: () => { this.generation += 1; this.refresh(); } }, 'Retry HLS'));
    // The HLS ladder may start a little after the broadcast; look again later without being asked.
    this.later(15000, () => { if (gen === this.generation && this.state === 'error') this.refresh(); });
  }

  fillQualityMenu() {
    const levels = this.hls?.levels || [];
    if (levels.length < 1) { this.qualityWrap.hidden = true; return; }
    const options = [h('option', { value: '-1' }, 'Auto')];
    levels.map((l, i) => ({ l, i })).sort((a, b) => (b.l.height || 0) - (a.l.height || 0)).forEach(({ l, i }) => {
      const label = l.height ? `${l.height}p` : `${Math.round((l.bitrate || 0) / 1000)} kbps`;
      options.push(h('option', { value: String(i) }, label));
    });
    replace(this.qualitySelect, options);
    this.qualitySelect.value = String(this.hls.autoLevelEnabled ? -1 : this.hls.currentLevel);
    this.qualityWrap.hidden = false;
  }

  setLevel(index) {
    if (!this.hls) return;
    this.hls.currentLevel = index; // -1 = automatic
    this.updateStatus();
  }

  switchMode(mode) {
    this.mode = mode === 'hls' ? 'hls' : 'auto';
    this.modeSelect.value = this.mode;
    this.protocol = this.mode === 'hls' ? 'hls' : 'webrtc';
    this.el.dataset.protocol = this.protocol;
    this.fallbackReason = null;
    this.failures = 0;
    this.teardown();
    this.generation += 1;
    this.refresh();
  }

  // ---- media element

  play() {
    const p = this.video.play();
    if (p) p.catch(() => { /* autoplay refused or interrupted by a new source: the overlay explains the state */ });
  }

  setMuted(muted) {
    this.video.muted = muted;
    if (!muted) this.play();
    this.syncMute();
  }

  syncMute() {
    const muted = this.video.muted;
    this.unmuteButton.hidden = !muted || this.state !== 'live';
    this.muteButton.textContent = muted ? 'Unmute' : 'Mute';
  }

  toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else this.el.requestFullscreen?.().catch(() => {});
  }

  teardown() {
    this.path = null;
    this.route = null;
    this.qoe.stopped();
    if (this.whep) { this.whep.close(); this.whep = null; }
    if (this.extras) { this.extras.close(); this.extras = null; this.layerWrap.hidden = true; }
    if (this.hls) { this.hls.destroy(); this.hls = null; }
    if (this.nativeSource) { this.video.removeAttribute('src'); this.video.load(); this.nativeSource = null; }
    if (this.video.srcObject) this.video.srcObject = null;
    this.qualityWrap.hidden = true;
  }

  fail(message, retryable) {
    this.teardown();
    this.overlayAction.replaceChildren();
    this.setState('error', message);
    if (retryable) replace(this.overlayAction, h('button', { type: 'button', class: 'btn', onclick: () => { this.generation += 1; this.refresh(); } }, 'Retry'));
  }

  setState(state, message = '') {
    this.state = state;
    this.el.dataset.state = state;
    this.badge.className = `badge ${state === 'live' ? 'badge-live' : state === 'reconnecting' ? 'badge-reconnecting' : 'badge-offline'}`;
    this.badge.textContent = LABELS[state];
    this.overlay.hidden = state === 'live';
    this.spinner.hidden = !(state === 'loading' || state === 'connecting' || state === 'reconnecting');
    this.overlayText.textContent = message;
    if (state !== 'error') this.overlayAction.replaceChildren();
    this.syncMute();
    this.updateStatus();
    this.onState(state);
  }

  updateStatus() {
    const parts = [this.protocol === 'hls' ? 'HLS' : 'WebRTC'];
    if (this.protocol !== 'hls' && this.path) parts.push(describePath(this.path));
    if (this.video.videoWidth) parts.push(`${this.video.videoWidth}×${this.video.videoHeight}`);
    if (this.hls && this.state === 'live') {
      const level = this.hls.levels?.[this.hls.currentLevel];
      if (level?.height) parts.push(this.hls.autoLevelEnabled ? `auto ${level.height}p` : `${level.height}p`);
    }
    this.status.textContent = parts.join(' · ');
  }

  /** Diagnostics: what the player is doing and what the decoder has produced. */
  async stats() {
    return {
      state: this.state,
      protocol: this.protocol,
      path: this.protocol === 'hls' ? null : this.path || null,
      framesDecoded: await this.framesDecoded(),
      videoWidth: this.video.videoWidth,
      videoHeight: this.video.videoHeight,
      muted: this.video.muted,
      connectionState: this.whep?.pc?.connectionState || null,
      session: this.whep?.location || null, // the WHEP session's URL: which node plays to us
      hlsLevels: this.hls?.levels?.length || 0,
      message: this.overlayText.textContent,
      qoe: this.qoe.stats(),
    };
  }
}
