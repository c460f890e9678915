// WHIP publisher that offers only VP8 (the server prefers H.264 when offered): a canvas showing the wall clock as a
// bit pattern (see clock.js) at 640x360, 30 fps, plus the fake microphone. For the HLS tests: a VP8 source makes the
// ladder re-encode everything, and the clock read back in the HLS player gives the glass-to-glass latency.
import { clockPattern } from './clock.js';

const state = { pc: null, location: null, key: null, status: null, error: null, timer: null };

async function publish({ whipUrl, key }) {
  state.key = key;
  const canvas = document.getElementById('clock');
  const ctx = canvas.getContext('2d');
  const draw = () => clockPattern.draw(ctx, canvas.width, canvas.height, Date.now());
  draw();
  state.timer = setInterval(draw, 1000 / 60);
  const video = canvas.captureStream(30).getVideoTracks()[0];
  const audio = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0];
  const stream = new MediaStream([video, audio]);
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  const vt = pc.addTransceiver(video, { direction: 'sendonly', streams: [stream] });
  const vp8 = RTCRtpSender.getCapabilities('video').codecs.filter(c => c.mimeType.toLowerCase() === 'video/vp8');
  vt.setCodecPreferences(vp8);
  pc.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  await pc.setLocalDescription(await pc.createOffer());
  const response = await fetch(whipUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', 'Authorization': `Bearer ${key}` },
    body: pc.localDescription.sdp,
  });
  state.status = response.status;
  const body = await response.text();
  if (response.status !== 201) {
    state.error = `WHIP POST answered ${response.status}: ${body}`;
    throw new Error(state.error);
  }
  state.location = new URL(response.headers.get('Location'), whipUrl).toString();
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  return { location: state.location, codec: 'VP8' };
}

async function stats() {
  const out = { status: state.status, error: state.error, connectionState: state.pc ? state.pc.connectionState : null };
  if (state.pc) {
    for (const r of (await state.pc.getStats()).values()) {
      if (r.type === 'outbound-rtp' && r.kind === 'video') {
        out.framesEncoded = r.framesEncoded;
        out.frameWidth = r.frameWidth;
        out.frameHeight = r.frameHeight;
        out.encoder = r.encoderImplementation;
      }
    }
  }
  return out;
}

async function stop() {
  if (state.timer) clearInterval(state.timer);
  let status = null;
  if (state.location) {
    status = (await fetch(state.location, { method: 'DELETE', headers: { 'Authorization': `Bearer ${state.key}` } })).status;
  }
  if (state.pc) state.pc.close();
  return status;
}

window.vp8Publisher = { publish, stats, stop };
