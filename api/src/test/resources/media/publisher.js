// WHIP test publisher: Chromium's fake camera and microphone (or a canvas that shows the wall clock as a bit pattern),
// sent over one RTCPeerConnection with sendonly transceivers, offered to the WHIP endpoint with a bearer stream key.
import { clockPattern } from './clock.js';
import { HTTP_TIMEOUT_MS, log, note, resolveLocation, snapshot } from './stats.js';

const state = {
  pc: null,
  posts: 0,
  status: null,
  location: null,
  etag: null,
  answer: null,
  offer: null,
  error: null,
  whipUrl: null,
  key: null,
  clockTimer: null,
};

/**
 * Publishes and resolves once the answer is applied (not once media flows: the test watches stats for that).
 * source: 'camera' (getUserMedia fake camera) or 'clock' (a canvas encoding Date.now(), for glass-to-glass latency).
 */
async function publish({ whipUrl, key, source = 'camera' }) {
  state.whipUrl = whipUrl;
  state.key = key;
  const media = await navigator.mediaDevices.getUserMedia({
    audio: true,
    video: source === 'camera' ? { width: 640, height: 480, frameRate: 30 } : false,
  });
  let video;
  if (source === 'clock') {
    const canvas = document.getElementById('clock');
    const ctx = canvas.getContext('2d');
    const draw = () => clockPattern.draw(ctx, canvas.width, canvas.height, Date.now());
    draw();
    state.clockTimer = setInterval(draw, 1000 / 60);
    video = canvas.captureStream(30).getVideoTracks()[0];
  } else {
    video = media.getVideoTracks()[0];
  }
  const audio = media.getAudioTracks()[0];
  const stream = new MediaStream([video, audio]);
  document.getElementById('preview').srcObject = stream;

  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  pc.onconnectionstatechange = () => note(`publisher connectionState ${pc.connectionState}`);
  pc.addTransceiver(video, { direction: 'sendonly', streams: [stream] });
  pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  await pc.setLocalDescription(await pc.createOffer());
  state.offer = pc.localDescription.sdp;

  // The server is ICE-lite and answers with all its candidates: no need to wait for our own gathering.
  state.posts++;
  const response = await fetch(whipUrl, {
    method: 'POST',
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    headers: { 'Content-Type': 'application/sdp', 'Authorization': `Bearer ${key}` },
    body: state.offer,
  });
  state.status = response.status;
  const body = await response.text();
  if (response.status !== 201) {
    state.error = `WHIP POST ${whipUrl} answered ${response.status}: ${body}`;
    note(state.error);
    throw new Error(state.error);
  }
  state.location = resolveLocation(response.headers.get('Location'), whipUrl);
  state.etag = response.headers.get('ETag');
  state.answer = body;
  note(`WHIP 201 Location=${state.location} ETag=${state.etag}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  return { location: state.location, etag: state.etag };
}

/** DELETE on the session URL (with the bearer, as RFC 9725 §4.2 asks); returns the status. */
async function stop() {
  if (state.clockTimer) clearInterval(state.clockTimer);
  let status = null;
  if (state.location) {
    const response = await fetch(state.location, {
      method: 'DELETE', headers: { 'Authorization': `Bearer ${state.key}` }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    status = response.status;
    note(`WHIP DELETE ${state.location} answered ${status}`);
  }
  if (state.pc) state.pc.close();
  return status;
}

async function stats() {
  return {
    posts: state.posts,
    status: state.status,
    location: state.location,
    etag: state.etag,
    error: state.error,
    pc: await snapshot(state.pc),
    log: log.slice(-20),
  };
}

function sdp() {
  return { offer: state.offer, answer: state.answer };
}

window.publisher = { publish, stop, stats, sdp };
