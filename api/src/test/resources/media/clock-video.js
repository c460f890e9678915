// The clock as a video track, and read back from a playing <video>: the two ends of every glass-to-glass measurement.
// The WHIP publisher, the WHEP viewer and the direct (no server) page all use these same two functions, so the
// server path and the floor it is compared with differ only in the network path.
import { clockPattern } from './clock.js';

/**
 * Draws Date.now() into the canvas about 60 times a second (at random intervals) and captures it at 30 fps; returns
 * {track, stop}. busy: random 4x4-pixel texture over the cells (at 15 % opacity, so every cell stays far from
 * mid-grey and reads back), which makes the encoder spend what its target allows instead of the few dozen kbit/s flat
 * cells need; every frame's texture is new, so OpenH264 takes most frames for a scene change and sends a keyframe one
 * or two times a second. camera: a still, detailed picture under faint fresh grain every frame, which is what a camera
 * on a tripod gives an encoder: it spends its target on the grain and predicts the rest, so keyframes come only when
 * asked for.
 */
export function startClock(canvas, { busy = false, camera = false } = {}) {
  const ctx = canvas.getContext('2d');
  const texture = busy ? new OffscreenCanvas(160, 90) : null;
  const textureCtx = busy ? texture.getContext('2d') : null;
  const image = busy ? textureCtx.createImageData(160, 90) : null;
  const film = camera ? cameraFilm(canvas.width, canvas.height) : null;
  const draw = () => {
    clockPattern.draw(ctx, canvas.width, canvas.height, Date.now());
    if (film) film.drawOver(ctx);
    if (!busy) return;
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) {
      const v = Math.random() * 256;
      px[i] = v; px[i + 1] = v; px[i + 2] = v; px[i + 3] = 255;
    }
    textureCtx.putImageData(image, 0, 0);
    ctx.save();
    ctx.imageSmoothingEnabled = false;
    ctx.globalAlpha = 0.15;
    ctx.drawImage(texture, 0, 0, canvas.width, canvas.height);
    ctx.restore();
  };
  // Redrawn at random intervals averaging 60 a second, not on a fixed 1000/60 ms timer: such a timer keeps one phase
  // to the display's frame clock for a whole run, so every frame the canvas capture takes (on that clock) shows a clock
  // the same few ms old, every glass-to-glass sample of the run sits the same distance from the viewer's display tick,
  // and a run's p50 jumps by a whole display frame (16.7 ms) when that distance is near zero. With a random phase the
  // capture age spreads over 0-25 ms within every run, and a run's p50 moves with the path's delay, not with its luck.
  let timer = 0;
  const tick = () => {
    draw();
    timer = setTimeout(tick, (0.5 + Math.random()) * (1000 / 60));
  };
  tick();
  const track = canvas.captureStream(30).getVideoTracks()[0];
  return { track, stop: () => clearTimeout(timer) };
}

/** Random grey pixels in blocks of {@code block}, as a canvas of width x height. */
function randomGrey(width, height, block) {
  const small = new OffscreenCanvas(Math.ceil(width / block), Math.ceil(height / block));
  const smallCtx = small.getContext('2d');
  const image = smallCtx.createImageData(small.width, small.height);
  for (let i = 0; i < image.data.length; i += 4) {
    const v = Math.random() * 256;
    image.data[i] = v; image.data[i + 1] = v; image.data[i + 2] = v; image.data[i + 3] = 255;
  }
  smallCtx.putImageData(image, 0, 0);
  const out = new OffscreenCanvas(width, height);
  const outCtx = out.getContext('2d');
  outCtx.imageSmoothingEnabled = false;
  outCtx.drawImage(small, 0, 0, width, height);
  return out;
}

/**
 * The camera source's picture over the clock: a still scene (2x2-pixel detail at 12 % opacity) and grain (per-pixel,
 * 3 %: enough for the encoder to spend its whole target on it, too little for OpenH264 to take a frame for a scene
 * change) taken from a few prepared sheets at a random offset every frame, so no two frames' grain match and
 * generating it costs a copy rather than a random number per pixel. Together they stay under 20 %, so the cells read
 * back.
 */
function cameraFilm(width, height) {
  const scene = randomGrey(width, height, 2);
  const margin = 64;
  const sheets = Array.from({ length: 4 }, () => randomGrey(width + margin, height + margin, 1));
  return {
    drawOver(ctx) {
      ctx.save();
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = 0.12;
      ctx.drawImage(scene, 0, 0);
      ctx.globalAlpha = 0.03;
      const sheet = sheets[Math.floor(Math.random() * sheets.length)];
      ctx.drawImage(sheet, -Math.floor(Math.random() * margin), -Math.floor(Math.random() * margin));
      ctx.restore();
    },
  };
}

const reader = document.createElement('canvas');
reader.width = 160;
reader.height = 90;
const readerContext = reader.getContext('2d', { willReadFrequently: true });

/**
 * Calls on.presented(now) for every frame the <video> presents (requestVideoFrameCallback), and, while
 * on.readClock() is true, on.sample(ageMs, transitMs) with the clock read from that frame, or on.unreadable() when the
 * pattern does not read back (a blurred or half-decoded frame). transitMs is the clock's age when the frame's last
 * packet arrived (the callback's receiveTime, which Chromium gives for WebRTC video; null without it): glass-to-glass
 * less the jitter buffer, decoding and the wait for the display, so it is not rounded to the display's frame
 * interval as glass-to-glass is.
 */
/** Per read frame while a log is wanted: [rtpTimestamp, receive time (epoch ms), transit ms]; bounded. */
export const frameLog = [];

export function watchClock(video, on) {
  if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) return;
  const onFrame = (_, metadata) => {
    const now = Date.now();
    on.presented(now);
    if (on.readClock()) {
      readerContext.drawImage(video, 0, 0, reader.width, reader.height);
      const value = clockPattern.read(readerContext.getImageData(0, 0, reader.width, reader.height).data,
        reader.width, reader.height);
      if (value === null) on.unreadable();
      else {
        const age = clockPattern.age(value, now);
        const received = metadata && metadata.receiveTime ? performance.timeOrigin + metadata.receiveTime : null;
        on.sample(age, received === null ? null : age - (now - received));
        if (received !== null && metadata.rtpTimestamp !== undefined && frameLog.length < 20000) {
          frameLog.push([metadata.rtpTimestamp, received, age - (now - received)]);
        }
      }
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}
