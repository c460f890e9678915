// A WHEP client (draft-ietf-wish-whep): one recvonly audio + video offer POSTed to the channel's WHEP URL, the
// answer applied, DELETE on the session URL to leave (see session-end.js for why the connection closes after it).
// The server is ICE-lite and puts all its candidates in the answer, so there is no trickle to wait for.
import { endSession } from './session-end.js';
import { iceServers } from './ice-servers.js';
import { parseLinks } from './whep-extensions.js';

export class WhepError extends Error {
  constructor(status, detail, retryAfter) {
    super(detail || `WHEP answered ${status}`);
    this.name = 'WhepError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export class WhepClient {
  constructor(url) {
    this.url = url;
    this.pc = null;
    this.location = null;
    this.closed = false;
    this.stream = new MediaStream();
    this.links = {};
  }

  /** Negotiates; resolves once the answer is applied. `ontrack` sees the stream as tracks arrive. */
  async connect({ ontrack } = {}) {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers: await iceServers() });
    this.pc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.ontrack = event => {
      this.stream.addTrack(event.track);
      ontrack?.(this.stream);
    };
    await pc.setLocalDescription(await pc.createOffer());
    let response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        // A private channel's viewer token (from the embed address) goes as a Bearer, as WHEP specifies.
        headers: { 'Content-Type': 'application/sdp', Accept: 'application/sdp',
          ...(this.viewerToken ? { Authorization: `Bearer ${this.viewerToken}` } : {}) },
        body: pc.localDescription.sdp,
      });
    } catch {
      this.close();
      throw new WhepError(0, 'Cannot reach the server for playback.');
    }
    const body = await response.text();
    if (response.status !== 201) {
      this.close();
      throw new WhepError(response.status, problemDetail(body), Number(response.headers.get('Retry-After')) || null);
    }
    const location = response.headers.get('Location');
    // Against the URL that answered: after a 307 to another node (steering, a node that does not hold the channel)
    // the session lives there, and so do the extension URLs.
    const answeredBy = response.url || new URL(this.url, window.location.href).href;
    this.location = location ? new URL(location, answeredBy).href : null;
    this.links = parseLinks(response.headers.get('Link'), answeredBy);
    if (this.closed) {
      // Left while the offer was on its way: the session the node just made is not wanted.
      const unwanted = this.location;
      this.location = null;
      endSession(null, unwanted);
      throw new WhepError(0, 'Playback was stopped.');
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
    return this;
  }

  /** The server has ended the session itself: leaving needs no DELETE. */
  forget() {
    this.location = null;
  }

  /** Leaves: DELETE unless the session is known to be over, then the peer connection closes. */
  close() {
    this.closed = true;
    const location = this.location;
    this.location = null;
    if (this.pc) this.pc.ontrack = null;
    endSession(this.pc, location);
  }
}

/** The `detail` of an RFC 9457 body, or nothing. */
export function problemDetail(body) {
  try {
    return JSON.parse(body).detail || null;
  } catch {
    return null;
  }
}
