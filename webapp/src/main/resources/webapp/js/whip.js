// A WHIP client (RFC 9725): sendonly audio + video from a MediaStream, offered to /api/whip with the channel's
// stream key as the bearer token (in a header, never in a URL), DELETE on the session URL to stop (see
// session-end.js for why the connection closes after it).
import { problemDetail } from './whep.js';
import { endSession } from './session-end.js';
import { iceServers } from './ice-servers.js';

export class WhipError extends Error {
  constructor(status, detail) {
    super(detail || `WHIP answered ${status}`);
    this.name = 'WhipError';
    this.status = status;
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
      throw new WhipError(response.status, problemDetail(body));
    }
    const location = response.headers.get('Location');
    // Against the URL that answered: after a 307 to another node (steering, a node that does not hold the channel)
    // the session lives there.
    this.location = location ? new URL(location, response.url || new URL(this.url, window.location.href)).href : null;
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
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
    const location = deleteSession ? this.location : null;
    this.location = null;
    endSession(this.pc, location, { Authorization: `Bearer ${this.streamKey}` });
  }
}
