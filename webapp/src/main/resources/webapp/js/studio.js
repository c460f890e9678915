// Going live from a browser tab: capture (camera + microphone, or a screen share + microphone), preview, a
// resolution/bitrate preset, WHIP publishing with the channel's stream key, and live figures from getStats() and
// the server's ingest health.
import { h, replace } from './dom.js';
import { api, describe } from './api.js';
import { WhipPublisher } from './whip.js';
import { snapshot, publisherRates } from './rtc-stats.js';
import { describePath, reportRelay, selectedRoute } from './ice-servers.js';
import { kbps } from './format.js';

export const PRESETS = [
  { id: '360p', label: '360p, 0.8 Mbps', width: 640, height: 360, fps: 30, bitrate: 800_000 },
  { id: '480p', label: '480p, 1.2 Mbps', width: 854, height: 480, fps: 30, bitrate: 1_200_000 },
  { id: '720p', label: '720p, 2.5 Mbps', width: 1280, height: 720, fps: 30, bitrate: 2_500_000 },
  { id: '1080p', label: '1080p, 4.5 Mbps', width: 1920, height: 1080, fps: 30, bitrate: 4_500_000 },
];

/**
 * How long "Go live" keeps trying by itself while the server answers 503 with a Retry-After (every session slot for
 * publishers taken, or the channel still held by a node that vanished and is being taken over): past this the
 * creator gets the server's reason and decides.
 */
const GO_LIVE_RETRY_MS = 120_000;

/** Tries at telling the node a relayed pair's transport before giving up (the session then counts as plain turn). */
const RELAY_REPORT_TRIES = 5;

const INGEST_LABELS = { offline: 'Offline', starting: 'Starting', live: 'Receiving', reconnecting: 'Publisher lost' };

/** The capture-and-publish engine behind the studio page; the page owns the layout and buttons. */
export class Broadcaster {
  constructor(channel, { onChange = () => {} } = {}) {
    this.channel = channel;
    this.onChange = onChange;
    this.stream = null;
    this.publisher = null;
    this.state = 'idle'; // idle | preview | starting | live | stopping
    this.error = null;
    this.figures = null;
    this.ingest = null;
    this.prev = null;
    this.timers = [];
    this.waiting = null; // { detail, until } while "Go live" waits out a 503's Retry-After
  }

  get live() {
    return this.state === 'live' || this.state === 'starting';
  }

  set(state, error = null) {
    this.state = state;
    this.error = error;
    this.onChange(this);
  }

  /** Starts (or restarts) capture for the chosen source; the preview shows `stream`. */
  async capture({ source, cameraId, microphoneId, preset }) {
    const p = PRESETS.find(x => x.id === preset) || PRESETS[2];
    const audio = { deviceId: microphoneId ? { exact: microphoneId } : undefined, echoCancellation: true, noiseSuppression: true };
    let stream;
    if (source === 'screen') {
      if (!navigator.mediaDevices?.getDisplayMedia) throw new Error('This browser cannot share the screen.');
      const screen = await navigator.mediaDevices.getDisplayMedia({ video: { width: { ideal: p.width }, height: { ideal: p.height }, frameRate: { ideal: p.fps } }, audio: false });
      let mic = null;
      try {
        mic = await navigator.mediaDevices.getUserMedia({ audio, video: false });
      } catch (error) {
        screen.getTracks().forEach(t => t.stop());
        throw error;
      }
      const video = screen.getVideoTracks()[0];
      video.contentHint = 'detail'; // text on screen stays sharp; the frame rate gives way instead
      stream = new MediaStream([video, ...mic.getAudioTracks()]);
      video.addEventListener('ended', () => this.sourceEnded());
    } else {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('Camera capture is not available on this page: it needs HTTPS (or http://localhost).');
      stream = await navigator.mediaDevices.getUserMedia({
        audio,
        video: { deviceId: cameraId ? { exact: cameraId } : undefined, width: { ideal: p.width }, height: { ideal: p.height }, frameRate: { ideal: p.fps } },
      });
    }
    const old = this.stream;
    this.stream = stream;
    if (this.publisher) {
      // Live source switch: swap the tracks under the running connection, no renegotiation.
      await this.publisher.replaceVideo(stream.getVideoTracks()[0]);
      await this.publisher.senders.audio?.replaceTrack(stream.getAudioTracks()[0] || null);
    }
    old?.getTracks().forEach(t => t.stop());
    if (this.state === 'idle') this.set('preview');
    else this.onChange(this);
    return stream;
  }

  sourceEnded() {
    if (this.live) this.stop().catch(() => {});
    this.error = new Error('The screen share ended, so the broadcast stopped.');
    this.releaseCapture();
  }

  async goLive({ preset, streamKey, whipUrl, simulcast = false }) {
    if (!this.stream) throw new Error('Start the preview first.');
    const p = PRESETS.find(x => x.id === preset) || PRESETS[2];
    this.set('starting');
    const began = performance.now();
    let publisher;
    for (;;) {
      publisher = new WhipPublisher(whipUrl, streamKey);
      try {
        await publisher.start(this.stream, { maxBitrate: p.bitrate, simulcast });
        break;
      } catch (error) {
        const waitMs = error.status === 503 && error.retryAfter ? error.retryAfter * 1000 : 0;
        if (waitMs > 0 && performance.now() - began + waitMs <= GO_LIVE_RETRY_MS) {
          if (await this.waitToRetry(error, waitMs)) continue;
          return false; // the creator stopped it while it waited
        }
        this.waiting = null;
        if (this.state === 'starting') this.set('preview', error);
        throw error;
      }
    }
    this.publisher = publisher;
    publisher.pc.addEventListener('connectionstatechange', () => {
      const s = publisher.pc.connectionState;
      if (s === 'connected' && this.state === 'starting') this.set('live');
      if (s === 'failed' && this.publisher === publisher) {
        this.teardownPublisher(false);
        this.set('preview', new Error('The connection to the server failed, so the broadcast stopped. Check the network and go live again.'));
      }
    });
    // The server can end the broadcast under us (an administrator's "End stream", the channel suspended): it
    // closes DTLS. Say so instead of leaving a dead "You are live." on screen.
    const transport = publisher.senders.video?.transport || publisher.senders.audio?.transport;
    transport?.addEventListener('statechange', () => {
      if (this.publisher !== publisher || this.state === 'stopping') return;
      if (transport.state === 'closed' || transport.state === 'failed') this.endedByServer();
    });
    this.prev = null;
    this.seenLive = false;
    this.relayReport = { status: null, tries: 0, pending: false };
    this.timers.push(setInterval(() => this.sample(), 1000));
    this.timers.push(setInterval(() => this.pollIngest(), 3000));
    this.pollIngest();
  }

  endedByServer() {
    this.teardownPublisher(false);
    this.set(this.stream ? 'preview' : 'idle',
      new Error('The server ended the broadcast from this tab: an administrator stopped it, or another publisher (OBS or another tab) took over. Go live again when you are ready.'));
  }

  async setPreset(preset) {
    const p = PRESETS.find(x => x.id === preset);
    if (!p || !this.stream) return;
    const video = this.stream.getVideoTracks()[0];
    try {
      await video?.applyConstraints({ width: { ideal: p.width }, height: { ideal: p.height }, frameRate: { ideal: p.fps } });
    } catch { /* some sources can't rescale; the bitrate cap still applies */ }
    await this.publisher?.setMaxBitrate(p.bitrate);
  }

  async sample() {
    if (!this.publisher?.pc) return;
    const cur = await snapshot(this.publisher.pc);
    this.figures = publisherRates(this.prev, cur);
    const route = await selectedRoute(this.publisher?.pc);
    this.path = route?.path || null;
    this.prev = cur;
    if (route?.relay) this.reportRelayed(this.publisher, route.relay);
    this.onChange(this);
  }

  /**
   * Relayed through TURN: the node cannot tell over which transport the browser reaches the relay (it relays to the
   * node over UDP whatever), so say it once, as the player's QoE beacon does. The selected pair shows up in getStats()
   * a moment after connecting, so this runs from the once-a-second sample; a refusal or an unreachable node is tried
   * again on the next samples, a few times.
   */
  reportRelayed(publisher, relay) {
    const r = this.relayReport;
    if (!publisher?.location || !r || r.pending || r.status === 204 || r.status === 202 || r.tries >= RELAY_REPORT_TRIES) return;
    r.pending = true;
    r.tries += 1;
    reportRelay(publisher.location, relay).then(status => {
      r.status = status;
      r.pending = false;
    });
  }

  async pollIngest() {
    const slug = encodeURIComponent(this.channel.slug);
    try {
      const publisher = this.publisher;
      this.ingest = await api(`/api/analytics/channels/${slug}/ingest`);
      // Stopped, or stopping (the broadcast may already be over, and the health read would be refused with 409).
      if (publisher !== this.publisher || !publisher || this.state === 'stopping') return;
      // Seen live, now offline on the node while we still think we publish: the broadcast was ended there.
      if (this.ingest.state === 'live') this.seenLive = true;
      else if (this.ingest.state === 'offline' && this.seenLive && this.state === 'live') {
        this.endedByServer();
        return;
      }
      // Once media flows, the node's own measurement of the incoming stream (what OBS users check too), in the same
      // answer: a separate read could be overtaken by the broadcast's end and refused.
      if (this.ingest.state === 'live' && this.ingest.health) this.health = this.ingest.health;
      this.onChange(this);
    } catch { /* a missed poll just leaves the last figure */ }
  }

  /**
   * Ends the broadcast now (stream/stop), not after the server's reconnect grace; the WHIP session dies with it.
   * If this node holds no broadcast for the channel (409), the WHIP DELETE is what is left to do.
   */
  /**
   * Waits out a 503's Retry-After before "Go live" tries again, counting down in the status line; false when the
   * creator pressed Stop meanwhile.
   */
  waitToRetry(error, waitMs) {
    const until = performance.now() + waitMs;
    this.waiting = { detail: error.message, until };
    this.onChange(this);
    return new Promise(resolve => {
      const tick = setInterval(() => {
        if (!this.waiting) { clearInterval(tick); resolve(false); return; }
        if (performance.now() >= until) { clearInterval(tick); this.waiting = null; resolve(true); return; }
        this.onChange(this);
      }, 250);
    });
  }

  async stop() {
    if (this.waiting) { // still waiting to retry "Go live": give up on it
      this.waiting = null;
      this.set(this.stream ? 'preview' : 'idle');
      return;
    }
    if (!this.publisher) return;
    this.set('stopping');
    let ended = false;
    try {
      await api(`/api/channels/${encodeURIComponent(this.channel.slug)}/stream/stop`, { method: 'POST' });
      ended = true;
    } catch { /* fall through to DELETE */ }
    this.teardownPublisher(!ended);
    this.set(this.stream ? 'preview' : 'idle');
  }

  teardownPublisher(deleteSession) {
    if (this.publisher) this.endedAt = performance.now();
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.publisher?.stop({ deleteSession });
    this.publisher = null;
    this.figures = null;
    this.health = null;
    this.path = null;
  }

  releaseCapture() {
    this.stream?.getTracks().forEach(t => t.stop());
    this.stream = null;
    if (!this.publisher) this.set('idle', this.error);
  }

  /** Leaving the page: end the WHIP session (kept alive through unload) and stop the camera. */
  dispose() {
    this.waiting = null; // a "Go live" waiting to retry gives up
    this.teardownPublisher(true);
    this.releaseCapture();
  }

  /** Diagnostics for tests and support. */
  async stats() {
    const pc = this.publisher?.pc;
    return {
      state: this.state,
      connectionState: pc?.connectionState || null,
      figures: this.figures,
      path: this.path || null,
      relayReport: this.relayReport ? { status: this.relayReport.status, tries: this.relayReport.tries } : null,
      ingest: this.ingest,
      framesEncoded: pc ? publisherRates(null, await snapshot(pc)).framesEncoded : 0,
    };
  }
}

/** The meters shown while live. */
export function meters(b) {
  const f = b.figures;
  const ingest = b.ingest;
  const item = (label, value) => h('div', { class: 'meter' }, h('dt', {}, label), h('dd', {}, value));
  return [
    item('Bitrate', f ? kbps(f.bitrate) : '–'),
    item('Packet loss', f ? `${f.loss.toFixed(1)} %` : '–'),
    item('Round trip', f && Number.isFinite(f.rtt) ? `${Math.round(f.rtt)} ms` : '–'),
    item('Path', describePath(b.path)),
    item('Resolution', f?.width ? `${f.width}×${f.height} @ ${Math.round(f.fps)}` : '–'),
    item('Encoder limit', f ? describeLimitation(f.limitation, b.live ? b.health : null) : '–'),
    item('Server ingest', ingest ? INGEST_LABELS[ingest.state] || ingest.state : '–'),
    item('Viewers', ingest ? String(ingest.viewers) : '–'),
    ...serverMeters(b.live ? b.health : null, item),
  ];
}

/**
 * The browser's qualityLimitationReason in a creator's words. "bandwidth" means the browser's own estimate of the
 * upload holds the encoder back; the node's feedback (stream health) says whether the node saw loss or delay.
 */
export function describeLimitation(reason, health) {
  switch (reason) {
    case 'none': return 'none';
    case 'cpu': return 'Your computer is busy: the encoder lowers quality to keep up';
    case 'bandwidth': {
      const fb = health?.feedback;
      if (fb && fb.arrivalDelayMs != null && fb.arrivalDelayMs >= 20) {
        return `Upload speed: your video reaches the server up to ${Math.round(fb.arrivalDelayMs)} ms late, so the browser sends less`;
      }
      if (fb && fb.packetsReportedLost === 0 && fb.acknowledgedBitrate != null) {
        return `Upload speed: the server confirms all ${kbps(fb.acknowledgedBitrate)} you send arrive; the browser is still testing for more`;
      }
      return 'Upload speed: the browser is still finding out how fast your connection is, or it is slow';
    }
    default: return reason || '–';
  }
}

/** What the node measures of the incoming video: the truth when the browser's own figures look fine. */
function serverMeters(health, item) {
  const video = health?.tracks?.find(t => t.kind === 'video');
  const recording = [...ingestHealth(health?.ingest, item),
    ...(health?.recording ? [item('Recording', recordingHealth(health.recording))] : [])];
  if (!video) return recording;
  // Simulcast: one entry per layer, best first; the server's figures below are the top layer's.
  const layers = health.tracks.filter(t => t.kind === 'video' && t.rid != null);
  return [
    ...recording,
    ...layers.map(l => item(`Layer ${l.rid}`, layerHealth(l))),
    item('Server receives', video.bitrate == null ? '–' : kbps(video.bitrate)),
    item('Server frame rate', video.frameRate == null ? '–' : `${video.frameRate} fps`),
    item('Keyframe every', video.keyframeInterval == null ? '–' : `${video.keyframeInterval.toFixed(1)} s`),
    item('Loss at server', `${(video.packetLoss * 100).toFixed(1)} %`),
    ...(health.feedback ? [
      item('Delay seen by server', health.feedback.arrivalDelayMs == null ? '–' : `${Math.round(health.feedback.arrivalDelayMs)} ms`),
      item('Reported lost', String(health.feedback.packetsReportedLost)),
      item('Server confirms', health.feedback.acknowledgedBitrate == null ? '–' : kbps(health.feedback.acknowledgedBitrate)),
      item('Feedback gap (max)', `${Math.round(health.feedback.maxIntervalMs)} ms`),
    ] : []),
  ];
}

/**
 * An RTMP/SRT publish as the server takes it: the codecs, whether WebRTC viewers get the video (HEVC and AV1 go to HLS and
 * the recording only), and what the creator should change.
 */
export function ingestHealth(ingest, item) {
  if (!ingest) return [];
  const video = ingest.video || '–';
  return [
    item('Encoder sends', ingest.webrtcVideo === false ? `${video}: HLS and recording only` : video),
    ...(ingest.warnings || []).map(w => item('Note', w)),
  ];
}

/** One simulcast layer as the server measures it: size, rate and frame rate, or that it is paused. */
export function layerHealth(l) {
  if (l.lastPacketAgeMs == null || l.lastPacketAgeMs > 2000) return 'paused by the browser (not enough upload)';
  const size = l.width == null ? 'size unknown yet' : `${l.width}×${l.height}`;
  const bits = l.mediaBitrate ?? l.bitrate;
  const rate = bits == null ? '–' : kbps(bits);
  return `${size}, ${rate}, ${l.frameRate == null ? '–' : l.frameRate} fps`;
}

/**
 * The broadcast's recording in a few words: whether it records, how often it had to continue in a new file (its
 * muxer kept refusing packets), and why it stopped if it did.
 */
export function recordingHealth(r) {
  switch (r.state) {
    case 'off': return 'off on this server';
    case 'waiting': return 'waiting for a keyframe';
    case 'stopped': return `stopped: ${r.error || 'unknown error'}`;
    default: return r.recoveries > 0 ? `recording (recovered ${r.recoveries}×)` : 'recording';
  }
}

export function describeState(b) {
  switch (b.state) {
    case 'starting': return b.waiting
      ? `Waiting for the server: ${b.waiting.detail} Trying again in ${Math.max(1, Math.ceil((b.waiting.until - performance.now()) / 1000))} s.`
      : 'Connecting to the server…';
    case 'live': return 'You are live.';
    case 'stopping': return 'Stopping…';
    case 'preview': return 'Preview only: viewers can’t see you yet.';
    default: return 'Camera off.';
  }
}

export { describe, replace };
