// The clock as a video track, and read back from a playing <video>: the two ends of every glass-to-glass measurement.
// The WHIP publisher, the WHEP viewer and the direct (no server) page all use these same two functions, so the
// server path and the floor it is compared with differ only in the network path.
import { clockPattern } from './clock.js';

/**
 * Draws Date.now() into the canvas 60 times a second and captures it at 30 fps; returns {track, stop}. busy: random
 * 4x4-pixel texture over the cells (at 15 % opacity, so every cell stays far from mid-grey and reads back), which makes
 * the encoder spend what its target allows, as a camera would, instead of the few dozen kbit/s flat cells need.
 */
export function startClock(canvas, { busy = false } = {}) {
  const ctx = canvas.getContext('2d');
  const texture = busy ? new OffscreenCanvas(160, 90) : null;
  const textureCtx = busy ? texture.getContext('2d') : null;
  const image = busy ? textureCtx.createImageData(160, 90) : null;
  const draw = () => {
    clockPattern.draw(ctx, canvas.width, canvas.height, Date.now());
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
  draw();
  const timer = setInterval(draw, 1000 / 60);
  const track = canvas.captureStream(30).getVideoTracks()[0];
  return { track, stop: () => clearInterval(timer) };
}

const reader = document.createElement('canvas');
reader.width = 160;
reader.height = 90;
const readerContext = reader.getContext('2d', { willReadFrequently: true });

/**
 * Calls on.presented(now) for every frame the <video> presents (requestVideoFrameCallback), and, while
 * on.readClock() is true, on.sample(ageMs) with the clock read from that frame, or on.unreadable() when the pattern
 * does not read back (a blurred or half-decoded frame).
 */
export function watchClock(video, on) {
  if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) return;
  const onFrame = () => {
    const now = Date.now();
    on.presented(now);
    if (on.readClock()) {
      readerContext.drawImage(video, 0, 0, reader.width, reader.height);
      const value = clockPattern.read(readerContext.getImageData(0, 0, reader.width, reader.height).data,
        reader.width, reader.height);
      if (value === null) on.unreadable();
      else on.sample(clockPattern.age(value, now));
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}
