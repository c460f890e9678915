// A WHIP client (RFC 9725): sendonly audio + video from a MediaStream, offered to /api/whip with the channel's
// stream key as the bearer token (in a header, never in a URL), DELETE on the session URL to stop.
import { problemDetail } from './whep.js';

export class WhipError extends Error {
  constructor(status, detail) {
    super(detail || `WHIP answered ${status}`);
    this.name = 'WhipError';
    this.status = status;
  }
}

export class WhipPublisher {
  constructor(url, streamKey) {
    this.url = url;
    this.streamKey = streamKey;
    this.pc = null;
    this.location = null;
    this.senders = {};
  }

  /** Publishes the stream's first video and audio track; `maxBitrate` (bits/s) caps the video encoder. */
  async start(stream, { maxBitrate } = {}) {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.pc = pc;
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (video) {
      const t = pc.addTransceiver(video, {
        direction: 'sendonly', streams: [stream],
        sendEncodings: [maxBitrate ? { maxBitrate } : {}],
      });
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
    this.location = location ? new URL(location, new URL(this.url, window.location.href)).href : null;
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
  }

  /** Changes the video bitrate cap while live, without renegotiating. */
  async setMaxBitrate(maxBitrate) {
    const sender = this.senders.video;
    if (!sender) return;
    const params = sender.getParameters();
    if (!params.encodings?.length) params.encodings = [{}];
    params.encodings[0].maxBitrate = maxBitrate;
    await sender.setParameters(params);
  }

  async replaceVideo(track) {
    await this.senders.video?.replaceTrack(track);
  }

  /** Ends the WHIP session (DELETE with the bearer, kept alive through page unload) and closes the connection. */
  stop({ deleteSession = true } = {}) {
    if (deleteSession && this.location) {
      fetch(this.location, { method: 'DELETE', keepalive: true, headers: { Authorization: `Bearer ${this.streamKey}` } })
        .catch(() => { /* consent expiry ends it on the server anyway */ });
    }
    this.location = null;
    this.pc?.close();
  }
}
