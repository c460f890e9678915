// The floor of the glass-to-glass and bitrate benchmarks: the same clock (or noise) source and the same read-back as
// the WHIP publisher and WHEP viewer, but sent from one RTCPeerConnection straight to another in this page, with no
// server in between. Both connections gather host candidates and trickle them to each other in-page.
import { startClock, watchClock } from './clock-video.js';
import { startNoise } from './noise.js';
import { log, note, snapshot } from './stats.js';

const video = document.getElementById('player');
const state = { sender: null, receiver: null, stopSource: null, clockSamples: [], clockUnreadable: 0, presentedFrames: 0 };

/** Puts the codec named by mimeType (e.g. video/VP8) first, as the server path negotiated it. */
function preferCodec(transceiver, mimeType) {
  if (!mimeType) return;
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
  const wanted = codecs.filter(c => c.mimeType.toLowerCase() === mimeType.toLowerCase())
    .sort((a, b) => (b.sdpFmtpLine || '').includes('packetization-mode=1') - (a.sdpFmtpLine || '').includes('packetization-mode=1'));
  transceiver.setCodecPreferences([...wanted, ...codecs.filter(c => !wanted.includes(c))]);
}

/** source: 'clock' or 'noise'; codec: mimeType to prefer; maxBitrate: the video encoding's cap (bit/s). */
async function start({ source = 'clock', codec = null, maxBitrate = null }) {
  const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  const canvas = document.getElementById('clock');
  const drawn = source === 'noise' ? startNoise(canvas) : startClock(canvas);
  state.stopSource = drawn.stop;
  const stream = new MediaStream([drawn.track, media.getAudioTracks()[0]]);

  const sender = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  const receiver = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.sender = sender;
  state.receiver = receiver;
  sender.onicecandidate = e => { if (e.candidate) receiver.addIceCandidate(e.candidate); };
  receiver.onicecandidate = e => { if (e.candidate) sender.addIceCandidate(e.candidate); };
  receiver.onconnectionstatechange = () => note(`direct receiver connectionState ${receiver.connectionState}`);
  const played = new MediaStream();
  receiver.ontrack = e => { played.addTrack(e.track); video.srcObject = played; };

  const videoInit = { direction: 'sendonly', streams: [stream] };
  if (maxBitrate) videoInit.sendEncodings = [{ maxBitrate }];
  const vt = sender.addTransceiver(drawn.track, videoInit);
  preferCodec(vt, codec);
  sender.addTransceiver(media.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });

  watchClock(video, {
    presented: () => state.presentedFrames++,
    readClock: () => source === 'clock',
    sample: age => state.clockSamples.push(age),
    unreadable: () => state.clockUnreadable++,
  });

  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription);
  return true;
}

async function stats() {
  return {
    takenAt: Date.now(),
    presentedFrames: state.presentedFrames,
    clockUnreadable: state.clockUnreadable,
    sender: await snapshot(state.sender),
    receiver: await snapshot(state.receiver),
    log: log.slice(-20),
  };
}

function drainClockSamples() {
  const out = state.clockSamples;
  state.clockSamples = [];
  return out;
}

function stop() {
  if (state.stopSource) state.stopSource();
  if (state.sender) state.sender.close();
  if (state.receiver) state.receiver.close();
  return true;
}

window.direct = { start, stats, drainClockSamples, stop };
