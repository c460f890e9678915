// WHEP test viewer: recvonly audio and video on one RTCPeerConnection, POSTed to the WHEP endpoint, played in a
// <video>. Records when the POST started and when the first frame was decoded and presented, and (for the clock
// publisher) reads the wall clock back out of every presented frame.
import { frameLog, watchClock } from './clock-video.js';
import { viaRelay, withoutNack, withoutTransportCc } from './sdp-rewrite.js';
import { HTTP_TIMEOUT_MS, log, note, resolveLocation, snapshot } from './stats.js';

const video = document.getElementById('player');
const state = {
  pc: null,
  peerConnections: 0,  // how many RTCPeerConnections this page created: a reconnecting player would make another
  posts: 0,            // every WHEP POST, including 409 retries
  sessions: 0,         // POSTs answered 201
  status: null,
  location: null,
  etag: null,
  answer: null,
  offer: null,
  error: null,
  token: null,
  postAt: null,        // Date.now() when the successful POST was sent
  answeredAt: null,
  iceConnectedAt: null,   // iceConnectionState 'connected' (a check succeeded; DTLS starts)
  connectedAt: null,      // connectionState 'connected' (ICE and DTLS done)
  firstDecodedAt: null,   // first getStats() poll with framesDecoded > 0
  firstPresentedAt: null, // first requestVideoFrameCallback
  presentedFrames: 0,
  clockSamples: [],
  transitSamples: [],
  clockUnreadable: 0,
  readClock: false,
};

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Plays a channel: one POST, retried on 409 (not live yet) with Retry-After or exponential back-off until
 * deadlineMs, as a player should. Resolves once the answer is applied.
 * relay: {address, port} to receive all media through a test relay; stripNack: offer no generic NACK;
 * audio: false to play video alone (no audio/video synchronisation at the viewer);
 * remb: offer no transport-cc, so the browser reports its receive estimate as REMB.
 */
async function play({ whepUrl, token = null, readClock = false, deadlineMs = 20000, relay = null, stripNack = false,
                      audio = true, iceServers = [], remb = false }) {
  state.readClock = readClock;
  state.token = token;
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceServers });
  state.pc = pc;
  state.peerConnections++;
  pc.oniceconnectionstatechange = () => {
    if (pc.iceConnectionState === 'connected' && state.iceConnectedAt === null) state.iceConnectedAt = Date.now();
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === 'connected' && state.connectedAt === null) state.connectedAt = Date.now();
    note(`viewer connectionState ${pc.connectionState}`);
  };
  if (audio) pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  const stream = new MediaStream();
  pc.ontrack = event => {
    stream.addTrack(event.track);
    video.srcObject = stream;
    note(`viewer track ${event.track.kind} mid=${event.transceiver.mid}`);
  };
  watchFrames();
  const offer = await pc.createOffer();
  // Chromium configures its own NACK sending and answering from its local description, not only from the answer.
  if (stripNack) offer.sdp = withoutNack(offer.sdp);
  if (remb) offer.sdp = withoutTransportCc(offer.sdp);
  await pc.setLocalDescription(offer);
  state.offer = pc.localDescription.sdp;

  const giveUpAt = Date.now() + deadlineMs;
  let backoff = 250;
  for (;;) {
    const headers = { 'Content-Type': 'application/sdp' };
    if (token) headers['Authorization'] = `Bearer ${token}`;
    state.posts++;
    const postAt = Date.now();
    const response = await fetch(whepUrl, { method: 'POST', headers, body: state.offer, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    state.status = response.status;
    const answer = await response.text();
    if (response.status === 201) {
      state.postAt = postAt;
      state.answeredAt = Date.now();
      state.sessions++;
      state.location = resolveLocation(response.headers.get('Location'), whepUrl);
      state.etag = response.headers.get('ETag');
      state.answer = answer;
      note(`WHEP 201 after ${state.answeredAt - postAt} ms, Location=${state.location} ETag=${state.etag}`);
      break;
    }
    if (response.status === 409 && Date.now() < giveUpAt) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      const wait = retryAfter > 0 ? Math.min(retryAfter * 1000, 2000) : backoff;
      backoff = Math.min(backoff * 2, 2000);
      note(`WHEP 409 (not live yet), retrying in ${wait} ms`);
      await sleep(wait);
      continue;
    }
    state.error = `WHEP POST ${whepUrl} answered ${response.status}: ${answer}`;
    note(state.error);
    throw new Error(state.error);
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: viaRelay(state.answer, relay) });
  pollFirstDecoded(pc);
  return { location: state.location, etag: state.etag };
}

async function pollFirstDecoded(pc) {
  while (state.firstDecodedAt === null && state.pc === pc && pc.connectionState !== 'closed') {
    const report = await pc.getStats();
    report.forEach(s => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0 && state.firstDecodedAt === null) {
        state.firstDecodedAt = Date.now();
      }
    });
    await sleep(10);
  }
}

function watchFrames() {
  watchClock(video, {
    presented: now => {
      state.presentedFrames++;
      if (state.firstPresentedAt === null) state.firstPresentedAt = now;
    },
    readClock: () => state.readClock,
    sample: (age, transit) => {
      state.clockSamples.push(age);
      if (transit !== null) state.transitSamples.push(Math.round(transit));
    },
    unreadable: () => state.clockUnreadable++,
  });
}

/** DELETE on the session URL; returns the status. */
async function stop() {
  let status = null;
  if (state.location) {
    const headers = state.token ? { 'Authorization': `Bearer ${state.token}` } : {};
    const response = await fetch(state.location, { method: 'DELETE', headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    status = response.status;
    note(`WHEP DELETE ${state.location} answered ${status}`);
  }
  if (state.pc) state.pc.close();
  return status;
}

async function stats() {
  return {
    peerConnections: state.peerConnections,
    posts: state.posts,
    sessions: state.sessions,
    status: state.status,
    location: state.location,
    etag: state.etag,
    error: state.error,
    takenAt: Date.now(),
    postAt: state.postAt,
    answeredAt: state.answeredAt,
    iceConnectedAt: state.iceConnectedAt,
    connectedAt: state.connectedAt,
    firstDecodedAt: state.firstDecodedAt,
    firstPresentedAt: state.firstPresentedAt,
    presentedFrames: state.presentedFrames,
    clockSamples: state.clockSamples.length,
    clockUnreadable: state.clockUnreadable,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    paused: video.paused,
    pc: await snapshot(state.pc),
    log: log.slice(-20),
  };
}

/** Clock ages collected so far (ms), then forgets them; for glass-to-glass percentiles. */
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

function sdp() {
  return { offer: state.offer, answer: state.answer };
}

/** The frames read so far ([rtpTimestamp, receive time in epoch ms, transit ms], see watchClock), then forgets them. */
function drainFrameLog() {
  return frameLog.splice(0, frameLog.length);
}

window.viewer = { play, stop, stats, sdp, drainClockSamples, drainTransitSamples, drainFrameLog };
