// HLS test player: hls.js on a <video>, reporting what it loaded and how playback advances; for the clock publisher
// it also reads the wall clock back out of every presented frame (glass-to-glass latency).
import { clockPattern } from './clock.js';

const video = document.getElementById('player');
const state = {
  hls: null,
  url: null,
  levels: [],
  errors: [],
  switches: [],
  fragments: 0,
  parts: 0,
  playlistLoads: 0,
  clockSamples: [],
  clockUnreadable: 0,
  framesPresented: 0,
  // The longest wait between two presented frames (ms) since playback started or the last resetGap().
  lastFrameAt: null,
  longestFrameGapMs: 0,
  // hls.js events since the last resetGap(), with their time (ms since it): what a switch waited for.
  events: [],
  eventsFrom: 0,
  mse: {},
};

const reader = document.createElement('canvas');
const readerContext = reader.getContext('2d', { willReadFrequently: true });

function event(what) {
  if (state.events.length < 60) state.events.push(`${Math.round(performance.now() - state.eventsFrom)} ${what}`);
}

function onFrame(now, metadata) {
  state.framesPresented++;
  if (state.lastFrameAt !== null && now - state.lastFrameAt > 200) event(`frame after ${Math.round(now - state.lastFrameAt)} ms`);
  if (state.lastFrameAt !== null) state.longestFrameGapMs = Math.max(state.longestFrameGapMs, now - state.lastFrameAt);
  state.lastFrameAt = now;
  if (video.videoWidth > 0) {
    reader.width = video.videoWidth;
    reader.height = video.videoHeight;
    readerContext.drawImage(video, 0, 0);
    const value = clockPattern.read(readerContext.getImageData(0, 0, reader.width, reader.height).data, reader.width, reader.height);
    if (value === null) state.clockUnreadable++;
    else state.clockSamples.push(clockPattern.age(value, Date.now()));
  }
  video.requestVideoFrameCallback(onFrame);
}

/** Starts hls.js on url; config overrides hls.js defaults (e.g. liveSyncDurationCount). */
async function play({ url, config }) {
  state.url = url;
  state.mse = {
    h264: MediaSource.isTypeSupported('video/mp4; codecs="avc1.42c01f"'),
    aac: MediaSource.isTypeSupported('audio/mp4; codecs="mp4a.40.2"'),
    hlsSupported: Hls.isSupported(),
  };
  const hls = new Hls(Object.assign({ enableWorker: true }, config || {}));
  state.hls = hls;
  hls.on(Hls.Events.MANIFEST_PARSED, (_, d) => {
    state.levels = d.levels.map(l => ({ width: l.width, height: l.height, bitrate: l.bitrate, codecs: l.attrs.CODECS, url: l.url[0] }));
  });
  hls.on(Hls.Events.LEVEL_LOADED, (_, d) => {
    state.playlistLoads++;
    event(`LEVEL_LOADED ${d.level}`);
  });
  hls.on(Hls.Events.LEVEL_SWITCHING, (_, d) => event(`LEVEL_SWITCHING ${d.level}`));
  hls.on(Hls.Events.BUFFER_FLUSHED, () => event('BUFFER_FLUSHED'));
  hls.on(Hls.Events.FRAG_LOADED, (_, d) => event(`FRAG_LOADED ${d.frag.level}/${d.frag.sn}${d.part ? '.' + d.part.index : ''}`));
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, d) => state.switches.push(d.level));
  hls.on(Hls.Events.FRAG_BUFFERED, (_, d) => {
    event(`FRAG_BUFFERED ${d.frag.level}/${d.frag.sn}${d.part ? '.' + d.part.index : ''}`);
    state.fragments++;
    if (d.part) state.parts++; // a low-latency HLS part rather than a whole segment
  });
  hls.on(Hls.Events.ERROR, (_, d) => {
    state.errors.push(`${d.type} ${d.details} fatal=${d.fatal}${d.response ? ' http ' + d.response.code : ''}`);
    if (state.errors.length > 50) state.errors.shift();
  });
  video.requestVideoFrameCallback(onFrame);
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(e => state.errors.push('play(): ' + e));
  return state.mse;
}

function stats() {
  const b = video.buffered;
  return {
    url: state.url,
    currentTime: video.currentTime,
    paused: video.paused,
    readyState: video.readyState,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    bufferedEnd: b.length ? b.end(b.length - 1) : 0,
    level: state.hls ? state.hls.currentLevel : -1,
    latency: state.hls ? state.hls.latency : null,
    levels: state.levels,
    switches: state.switches,
    fragments: state.fragments,
    parts: state.parts,
    playlistLoads: state.playlistLoads,
    lowLatencyMode: state.hls ? state.hls.lowLatencyMode : null,
    targetLatency: state.hls ? state.hls.targetLatency : null,
    errors: state.errors,
    framesPresented: state.framesPresented,
    longestFrameGapMs: state.longestFrameGapMs,
    events: state.events,
    decodedFrames: video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality().totalVideoFrames : null,
    clockSamples: state.clockSamples.length,
    clockUnreadable: state.clockUnreadable,
    mse: state.mse,
  };
}

function drainClockSamples() {
  const out = state.clockSamples;
  state.clockSamples = [];
  return out;
}

/** Forces a level (hls.currentLevel = n: flushes the buffer ahead and loads that level from the playhead on). */
function setLevel(n) {
  state.hls.currentLevel = n;
  return true;
}

/** Starts a new measurement of the longest gap between presented frames. */
function resetGap() {
  state.longestFrameGapMs = 0;
  state.events = [];
  state.eventsFrom = performance.now();
  return true;
}

function stop() {
  if (state.hls) state.hls.destroy();
  state.hls = null;
  return true;
}

window.hlsPlayer = { play, stats, drainClockSamples, setLevel, resetGap, stop };
