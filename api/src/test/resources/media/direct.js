// The floor of the glass-to-glass and bitrate benchmarks: the same clock (or noise) source and the same read-back as
// the WHIP publisher and WHEP viewer, sent from one RTCPeerConnection straight to another with no server between.
// Like the server path, the two ends are two pages (two renderer processes): this page plays either role, and the
// test passes the offer and the answer between them (complete descriptions, after host-candidate gathering).
import { frameLog, startClock, watchClock } from './clock-video.js';
import { startNoise } from './noise.js';
import { log, note, snapshot } from './stats.js';

const video = document.getElementById('player');
const state = { pc: null, stopSource: null, clockSamples: [], transitSamples: [], clockUnreadable: 0, presentedFrames: 0, readClock: false };

function gathered(pc) {
  return new Promise(resolve => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
  });
}

/** Puts the codec named by mimeType (e.g. video/H264) first, as the server path negotiated it. */
function preferCodec(transceiver, mimeType) {
  if (!mimeType) return;
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
  const wanted = codecs.filter(c => c.mimeType.toLowerCase() === mimeType.toLowerCase())
    .sort((a, b) => (b.sdpFmtpLine || '').includes('packetization-mode=1') - (a.sdpFmtpLine || '').includes('packetization-mode=1'));
  transceiver.setCodecPreferences([...wanted, ...codecs.filter(c => !wanted.includes(c))]);
}

/**
 * Sender: starts the source and returns a complete offer. source: as publisher.js's (clock, busy_clock, camera_clock or
 * noise); codec: mimeType to prefer; maxBitrate: the video encoding's cap (bit/s); audio: false to send video alone
 * (no audio/video synchronisation at the receiver, like a video-only WHEP viewer).
 */
async function offer({ source = 'clock', codec = null, maxBitrate = null, audio = true }) {
  const canvas = document.getElementById('clock');
  const drawn = source === 'noise' ? startNoise(canvas) : startClock(canvas, { busy: source === 'busy_clock', camera: source === 'camera_clock' });
  state.stopSource = drawn.stop;
  const audioTrack = audio ? (await navigator.mediaDevices.getUserMedia({ audio: true, video: false })).getAudioTracks()[0] : null;
  const stream = new MediaStream(audioTrack ? [drawn.track, audioTrack] : [drawn.track]);
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  pc.onconnectionstatechange = () => note(`direct sender connectionState ${pc.connectionState}`);
  const videoInit = { direction: 'sendonly', streams: [stream] };
  if (maxBitrate) videoInit.sendEncodings = [{ maxBitrate }];
  preferCodec(pc.addTransceiver(drawn.track, videoInit), codec);
  if (audioTrack) pc.addTransceiver(audioTrack, { direction: 'sendonly', streams: [stream] });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription.sdp;
}

/** Sender: applies the receiver's answer. */
async function accept(sdp) {
  await state.pc.setRemoteDescription({ type: 'answer', sdp });
  return true;
}

/** Receiver: answers the sender's offer and plays what arrives, reading the clock when readClock. */
async function answer({ sdp, readClock = true }) {
  state.readClock = readClock;
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  pc.onconnectionstatechange = () => note(`direct receiver connectionState ${pc.connectionState}`);
  const played = new MediaStream();
  pc.ontrack = e => { played.addTrack(e.track); video.srcObject = played; };
  watchClock(video, {
    presented: () => state.presentedFrames++,
    readClock: () => state.readClock,
    sample: (age, transit) => {
      state.clockSamples.push(age);
      if (transit !== null) state.transitSamples.push(Math.round(transit));
    },
    unreadable: () => state.clockUnreadable++,
  });
  await pc.setRemoteDescription({ type: 'offer', sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  return pc.localDescription.sdp;
}

async function stats() {
  return {
    takenAt: Date.now(),
    presentedFrames: state.presentedFrames,
    clockUnreadable: state.clockUnreadable,
    pc: await snapshot(state.pc),
    log: log.slice(-20),
  };
}

function drainClockSamples() {
  const out = state.clockSamples;
  state.clockSamples = [];
  return out;
}

/** Capture-to-arrival ages (ms, see watchClock) collected so far, then forgets them. */
function drainTransitSamples() {
  const out = state.transitSamples;
  state.transitSamples = [];
  return out;
}

function stop() {
  if (state.stopSource) state.stopSource();
  if (state.pc) state.pc.close();
  return true;
}

/** The frames read so far ([rtpTimestamp, receive time in epoch ms, transit ms], see watchClock), then forgets them. */
function drainFrameLog() {
  return frameLog.splice(0, frameLog.length);
}

window.direct = { offer, accept, answer, stats, drainClockSamples, drainTransitSamples, drainFrameLog, stop };
