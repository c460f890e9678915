// WHIP test publisher: Chromium's fake camera and microphone (or a canvas that shows the wall clock as a bit pattern,
// or noise that no encoder can compress), sent over one RTCPeerConnection with sendonly transceivers, offered to the
// WHIP endpoint with a bearer stream key.
import { startClock } from './clock-video.js';
import { startNoise } from './noise.js';
import { viaRelay, withoutNack } from './sdp-rewrite.js';
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
  stopSource: null,
};

/**
 * Publishes and resolves once the answer is applied (not once media flows: the test watches stats for that).
 * source: 'camera' (getUserMedia fake camera), 'clock' (a canvas encoding Date.now(), for glass-to-glass latency),
 * 'noise' (for congestion control: the encoder's output follows its target bitrate), 'busy_clock' (the clock with
 * a texture that makes the encoder spend its target, for both at once, but new every frame, so OpenH264 keyframes
 * often) or 'camera_clock' (the clock over a still picture with faint grain: the encoder spends its target and
 * keyframes only when asked, as with a camera).
 * relay: {address, port} to send all media through a test relay instead of the server's candidates.
 * stripNack: offer no generic NACK, so neither side retransmits.
 * maxBitrate: the video encoding's maxBitrate (bit/s), as an application would cap its upload.
 * encodings: sendEncodings for the video (simulcast: rids, scaleResolutionDownBy, maxBitrate); overrides maxBitrate.
 * width, height: the fake camera's size (640x480 unless given).
 * canvasWidth, canvasHeight: the canvas sources' size (640x360 unless given; simulcast needs 960x540 for three layers).
 * contentHint: the video track's contentHint ('detail': keep the resolution under CPU load).
 * fps: the noise source's frame rate.
 * fineNoise: the noise source's simulcast form (coarse blocks under per-pixel grain, see noise.js).
 * videoCodec: offer only this video codec (e.g. 'VP8'). Noise wants VP8: OpenH264 takes every noise frame for a scene
 *   change and makes it an IDR many times its budget, then skips frames down to a few a second.
 */
async function publish({ whipUrl, key, source = 'camera', relay = null, stripNack = false, maxBitrate = null, iceServers = [],
                         encodings = null, width = 640, height = 480, canvasWidth = null, canvasHeight = null,
                         contentHint = null, fps = 30, fineNoise = false, videoCodec = null }) {
  state.whipUrl = whipUrl;
  state.key = key;
  const media = await navigator.mediaDevices.getUserMedia({
    audio: true,
    video: source === 'camera' ? { width, height, frameRate: 30 } : false,
  });
  let video;
  if (source === 'clock' || source === 'busy_clock' || source === 'camera_clock' || source === 'noise') {
    const canvas = document.getElementById('clock');
    if (canvasWidth && canvasHeight) {
      canvas.width = canvasWidth;
      canvas.height = canvasHeight;
    }
    const drawn = source === 'noise' ? startNoise(canvas, { fps, fine: fineNoise }) : startClock(canvas, { busy: source === 'busy_clock', camera: source === 'camera_clock' });
    state.stopSource = drawn.stop;
    video = drawn.track;
  } else {
    video = media.getVideoTracks()[0];
  }
  // 'detail' keeps the resolution when the machine is short of CPU (frames are dropped instead), so each simulcast
  // layer keeps its size and, with noise, the bitrate its maxBitrate allows.
  if (contentHint) video.contentHint = contentHint;
  const audio = media.getAudioTracks()[0];
  const stream = new MediaStream([video, audio]);
  document.getElementById('preview').srcObject = stream;

  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers });
  state.pc = pc;
  pc.onconnectionstatechange = () => note(`publisher connectionState ${pc.connectionState}`);
  const videoInit = { direction: 'sendonly', streams: [stream] };
  if (maxBitrate) videoInit.sendEncodings = [{ maxBitrate }];
  if (encodings) videoInit.sendEncodings = encodings;
  const videoTransceiver = pc.addTransceiver(video, videoInit);
  if (videoCodec) {
    // Only this codec (and its retransmission format) in the offer: the node answers with H.264 whenever it is offered.
    const wanted = `video/${videoCodec}`.toLowerCase();
    const codecs = RTCRtpSender.getCapabilities('video').codecs
      .filter((c) => c.mimeType.toLowerCase() === wanted || c.mimeType.toLowerCase() === 'video/rtx');
    videoTransceiver.setCodecPreferences(codecs);
  }
  pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  const offer = await pc.createOffer();
  // Chromium configures its own NACK sending and answering from its local description, not only from the answer.
  if (stripNack) offer.sdp = withoutNack(offer.sdp);
  await pc.setLocalDescription(offer);
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
  await pc.setRemoteDescription({ type: 'answer', sdp: viaRelay(body, relay) });
  return { location: state.location, etag: state.etag };
}

/** DELETE on the session URL (with the bearer, as RFC 9725 §4.2 asks); returns the status. */
async function stop() {
  if (state.stopSource) state.stopSource();
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
    takenAt: Date.now(),
    pc: await snapshot(state.pc),
    log: log.slice(-20),
  };
}

function sdp() {
  return { offer: state.offer, answer: state.answer };
}

window.publisher = { publish, stop, stats, sdp };
