// Player quality of experience, sent to the node as beacons (POST /api/qoe with navigator.sendBeacon, so they also
// leave with a closing page): startup time (first connect attempt to first decoded frame), rebuffers (after the
// first frame, a second without a new frame while the page is visible) and their time, decoded and dropped frames,
// bitrate, layer or resolution switches, WebRTC or HLS, the WebRTC path, and errors. Every figure but startup is a
// delta since the previous beacon, so the node can simply add them up. One beacon right after the first frame (so
// startup lands at once), then one every 30 s while playing, and a last one when the page goes away or is hidden.

const INTERVAL_MS = 30000;
const ENDPOINT = '/api/qoe';

/** The playback figures of the moment: cumulative frames and bytes, picture size, and a nominal bitrate for HLS. */
export async function sampleOf(pc, video, hls) {
  if (pc) {
    const s = { frames: 0, dropped: 0, bytes: 0, width: 0, height: 0, kbps: 0 };
    try {
      const report = await pc.getStats();
      report.forEach(r => {
        if (r.type !== 'inbound-rtp') return;
        s.bytes += r.bytesReceived || 0;
        if (r.kind !== 'video') return;
        s.frames = r.framesDecoded || 0;
        s.dropped = r.framesDropped || 0;
        s.width = r.frameWidth || 0;
        s.height = r.frameHeight || 0;
      });
    } catch { /* closed meanwhile */ }
    return s;
  }
  const q = video.getVideoPlaybackQuality?.();
  const level = hls?.levels?.[hls.currentLevel];
  return {
    frames: q ? q.totalVideoFrames - q.droppedVideoFrames : 0,
    dropped: q ? q.droppedVideoFrames : 0,
    bytes: 0,
    width: video.videoWidth || 0,
    height: video.videoHeight || 0,
    kbps: level?.bitrate ? Math.round(level.bitrate / 1000) : 0,
  };
}

export class QoeReporter {
  constructor(slug) {
    this.slug = slug;
    this.sent = 0;
    this.attemptAt = null;
    this.playing = false;
    this.prev = null;
    this.pending = this.emptyDelta();
    this.stallFrom = null;
    this.lastTickAt = null;
    this.size = null;
    this.timer = setInterval(() => this.flush(), INTERVAL_MS);
    this.onHide = () => { if (document.visibilityState === 'hidden') this.flush(); };
    this.onLeave = () => this.flush();
    document.addEventListener('visibilitychange', this.onHide);
    window.addEventListener('pagehide', this.onLeave);
  }

  emptyDelta() {
    return { watchMs: 0, rebuffers: 0, rebufferMs: 0, framesDecoded: 0, framesDropped: 0, bytes: 0, kbpsMs: 0,
      layerSwitches: 0, errors: [] };
  }

  /** A connect attempt (first, reconnect or fallback): startup counts from the first one of a playback. */
  attempt(protocol) {
    this.protocol = protocol;
    if (!this.playing && this.attemptAt === null) this.attemptAt = performance.now();
  }

  /** The playback ended (teardown): the next attempt starts a new startup measurement. */
  stopped() {
    if (this.playing) this.closeStall(performance.now());
    this.playing = false;
    this.prev = null;
    this.size = null;
    this.lastTickAt = null;
    // A new session may take another path: it is reported afresh once known.
    this.route = null;
    this.sentPath = null;
  }

  /** Nothing to connect to (the channel is offline): a later attempt's startup starts then. */
  idle() {
    this.stopped();
    this.attemptAt = null;
  }

  error(code) {
    if (this.pending.errors.length < 8 && !this.pending.errors.includes(code)) this.pending.errors.push(code);
  }

  layerSwitch() {
    if (this.playing) this.pending.layerSwitches += 1;
  }

  /** Once a second from the player, with its sample, whether frames advanced, and the WebRTC route (or null). */
  tick(sample, advanced, route) {
    const now = performance.now();
    if (route) this.route = route;
    if (advanced && !this.playing) {
      this.playing = true;
      // Past two minutes it is no startup the node takes (it refuses the beacon): the viewer waited on something else.
      if (this.attemptAt !== null && now - this.attemptAt <= 120000) {
        this.startupMs = Math.round(now - this.attemptAt);
        this.startupProtocol = this.protocol;
        this.attemptAt = null;
      }
      this.prev = sample;
      this.lastTickAt = now;
      this.size = `${sample.width}x${sample.height}`;
      this.flush(); // the startup beacon, at once
      return;
    }
    if (!this.playing) return;
    const d = this.pending;
    const elapsed = now - (this.lastTickAt ?? now);
    this.lastTickAt = now;
    d.watchMs += elapsed;
    const prev = this.prev || { frames: 0, dropped: 0, bytes: 0 };
    // A new peer connection or HLS source starts its counters from zero again.
    d.framesDecoded += sample.frames >= prev.frames ? sample.frames - prev.frames : sample.frames;
    d.framesDropped += sample.dropped >= prev.dropped ? sample.dropped - prev.dropped : sample.dropped;
    d.bytes += sample.bytes >= prev.bytes ? sample.bytes - prev.bytes : sample.bytes;
    if (sample.kbps) d.kbpsMs += sample.kbps * elapsed;
    this.prev = sample;
    const size = `${sample.width}x${sample.height}`;
    if (sample.width && this.size && size !== this.size && this.protocol === 'webrtc') d.layerSwitches += 1;
    if (sample.width) this.size = size;
    // The path became known (or changed) after the last beacon: say so now, not in 30 s (the node's path metric
    // waits for it to tell a relay's transport).
    if (this.route?.path && this.route.path !== this.sentPath && this.protocol === 'webrtc') {
      this.flush();
      return;
    }
    if (advanced) this.closeStall(now);
    else if (this.stallFrom === null && document.visibilityState === 'visible') {
      this.stallFrom = now - elapsed; // no frame since the previous tick
      d.rebuffers += 1;
    }
  }

  closeStall(now) {
    if (this.stallFrom === null) return;
    this.pending.rebufferMs += now - this.stallFrom;
    this.stallFrom = null;
  }

  /** Sends what was gathered since the last beacon, if anything. */
  flush() {
    const now = performance.now();
    if (this.stallFrom !== null) { this.pending.rebufferMs += now - this.stallFrom; this.stallFrom = now; }
    const d = this.pending;
    if (this.startupMs === undefined && d.watchMs < 1 && !d.errors.length) return;
    const protocol = this.startupMs !== undefined ? this.startupProtocol : this.protocol;
    if (!protocol) return;
    const watchMs = Math.round(d.watchMs);
    const body = {
      channel: this.slug,
      protocol,
      watchMs,
      rebuffers: d.rebuffers,
      rebufferMs: Math.min(watchMs, Math.round(d.rebufferMs)),
      framesDecoded: d.framesDecoded,
      framesDropped: d.framesDropped,
      layerSwitches: d.layerSwitches,
    };
    if (this.startupMs !== undefined) body.startupMs = this.startupMs;
    const kbps = protocol === 'webrtc' ? (watchMs > 0 ? Math.round((d.bytes * 8) / watchMs) : 0)
      : (d.watchMs > 0 ? Math.round(d.kbpsMs / d.watchMs) : 0);
    if (kbps > 0) body.bitrateKbps = kbps;
    if (d.errors.length) body.errors = d.errors;
    if (protocol === 'webrtc' && this.route?.path) {
      body.path = this.route.path;
      this.sentPath = body.path;
      if (this.route.relay && this.route.path.startsWith('turn-')) body.relay = this.route.relay;
    }
    this.startupMs = undefined;
    this.pending = this.emptyDelta();
    this.send(body);
  }

  send(body) {
    const text = JSON.stringify(body);
    let queued = false;
    try {
      queued = navigator.sendBeacon?.(ENDPOINT, text) || false;
    } catch { /* too large or not allowed: fall through */ }
    if (!queued) fetch(ENDPOINT, { method: 'POST', body: text, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).catch(() => {});
    this.sent += 1;
    this.last = body;
    if (body.startupMs !== undefined) this.lastStartup = body;
  }

  /** The final beacon, and no more. */
  destroy() {
    this.stopped();
    this.flush();
    clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onHide);
    window.removeEventListener('pagehide', this.onLeave);
  }

  stats() {
    return { sent: this.sent, last: this.last || null, startup: this.lastStartup || null };
  }
}
