// A WHIP client (RFC 9725): sendonly audio + video from a MediaStream, offered to /api/whip with the channel's
// stream key as the bearer token (in a header, never in a URL), DELETE on the session URL to stop (see
// session-end.js for why the connection closes after it).
import { problemDetail } from './whep.js';
import { endSession } from './session-end.js';
import { iceServers } from './ice-servers.js';
import { parseLinks } from './whep-extensions.js';

const LAYER_PAUSING = 'urn:cascade:whip:ext:layer-pausing';

export class WhipError extends Error {
  /** `retryAfter`: seconds from the answer's Retry-After (a full or handing-over server says when to try again), or null. */
  constructor(status, detail, retryAfter = null) {
    super(detail || `WHIP answered ${status}`);
    this.name = 'WhipError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * Three simulcast layers, smallest first: quarter size at a tenth of the top's bitrate (at least 150 kbit/s), half
 * size at a third, full size at `maxBitrate`. The node ranks them by what it measures, not by these rids.
 */
export function simulcastEncodings(maxBitrate = 2_500_000) {
  return [
    { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: Math.max(150_000, Math.round(maxBitrate / 10)) },
    { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: Math.round(maxBitrate / 3) },
    { rid: 'f', scaleResolutionDownBy: 1, maxBitrate },
  ];
}

export class WhipPublisher {
  constructor(url, streamKey) {
    this.url = url;
    this.streamKey = streamKey;
    this.pc = null;
    this.location = null;
    this.senders = {};
    this.pausedLayers = [];
    this.layerStream = null;
    this.parameterChain = Promise.resolve();
  }

  /**
   * Publishes the stream's first video and audio track; `maxBitrate` (bits/s) caps the video encoder (the top layer
   * with `simulcast`, which also sends half and quarter size layers: see simulcastEncodings).
   */
  async start(stream, { maxBitrate, simulcast = false } = {}) {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers: await iceServers() });
    this.pc = pc;
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (video) {
      const t = pc.addTransceiver(video, {
        direction: 'sendonly', streams: [stream],
        sendEncodings: simulcast ? simulcastEncodings(maxBitrate) : [maxBitrate ? { maxBitrate } : {}],
      });
      this.simulcast = simulcast;
      this.senders.video = t.sender;
    }
    if (audio) this.senders.audio = pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] }).sender;
    await pc.setLocalDescription(await pc.createOffer());
    let response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${this.streamKey}` },
        body: pc.localDescription.sdp,
      });
    } catch {
      pc.close();
      throw new WhipError(0, 'Cannot reach the server to start the broadcast.');
    }
    const body = await response.text();
    if (response.status !== 201) {
      pc.close();
      throw new WhipError(response.status, problemDetail(body), Number(response.headers.get('Retry-After')) || null);
    }
    const location = response.headers.get('Location');
    // Against the URL that answered: after a 307 to another node (steering, a node that does not hold the channel)
    // the session lives there.
    this.location = location ? new URL(location, response.url || new URL(this.url, window.location.href)).href : null;
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    // The node's layer-pausing events (ours; only for a simulcast offer): stop encoding the layers nobody watches.
    const pausing = this.location && parseLinks(response.headers.get('Link'), this.location)[LAYER_PAUSING];
    if (simulcast && pausing) this.followLayerPausing(pausing.url);
  }

  /**
   * The node's list of simulcast layers nobody watches (server-sent events on the WHIP session): those encodings are
   * set inactive, so the browser stops encoding and sending them, and active again as soon as a viewer needs them.
   * If the stream ends while publishing, every layer goes back on (the node no longer counts on us) and it is asked
   * again a little later.
   */
  async followLayerPausing(url) {
    const abort = new AbortController();
    this.layerStream = abort;
    try {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${this.streamKey}` }, signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`layer events answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('');
          if (/^event:\s*layers$/m.test(block) && data) this.applyPausedLayers(JSON.parse(data).paused || []);
        }
      }
    } catch {
      // Ended below: an abort (we stopped), or the node or the network went away.
    }
    if (this.layerStream !== abort || abort.signal.aborted) return;
    this.layerStream = null;
    await this.applyPausedLayers([]);
    setTimeout(() => {
      if (!this.layerStream && this.location && this.pc?.connectionState !== 'closed') this.followLayerPausing(url);
    }, 2000);
  }

  /** Sets the encodings named in `paused` inactive and all others active (one setParameters at a time). */
  applyPausedLayers(paused) {
    this.pausedLayers = paused;
    const sender = this.senders.video;
    if (!sender) return Promise.resolve();
    this.parameterChain = this.parameterChain.then(async () => {
      const params = sender.getParameters();
      if (!params.encodings || params.encodings.length < 2) return;
      let changed = false;
      for (const e of params.encodings) {
        const active = !this.pausedLayers.includes(e.rid);
        if (e.active !== active) { e.active = active; changed = true; }
      }
      if (changed) await sender.setParameters(params);
    }).catch(() => {});
    return this.parameterChain;
  }

  /** Changes the video bitrate cap while live, without renegotiating. */
  async setMaxBitrate(maxBitrate) {
    const sender = this.senders.video;
    if (!sender) return;
    const params = sender.getParameters();
    if (!params.encodings?.length) params.encodings = [{}];
    if (this.simulcast && params.encodings.length > 1) {
      const next = simulcastEncodings(maxBitrate);
      for (const e of params.encodings) e.maxBitrate = next.find(n => n.rid === e.rid)?.maxBitrate ?? e.maxBitrate;
    } else {
      params.encodings[0].maxBitrate = maxBitrate;
    }
    await sender.setParameters(params);
  }

  async replaceVideo(track) {
    await this.senders.video?.replaceTrack(track);
  }

  /**
   * Ends the WHIP session: DELETE with the bearer unless `deleteSession` is false (the server ended it) or the
   * connection shows it ended, then the connection closes.
   */
  stop({ deleteSession = true } = {}) {
    this.layerStream?.abort();
    this.layerStream = null;
    const location = deleteSession ? this.location : null;
    this.location = null;
    endSession(this.pc, location, { Authorization: `Bearer ${this.streamKey}` });
  }
}
