// A video source no encoder can compress, for congestion-control measurements: the encoder's output then follows
// its target bitrate instead of the content's needs.

/**
 * Random blocks (4x4 pixels at 640x360), redrawn every frame at `fps`: content that needs every bit the encoder is
 * allowed.
 *
 * fine: for simulcast instead. Coarse random blocks (a 40x24 grid, redrawn once a second) under per-pixel noise of
 * the canvas's own size, new every frame. A layer scaled down averages the per-pixel noise away (a quarter-size layer
 * sees a sixteenth of its energy), so the low layer stays cheap enough to keep its frame rate within a small
 * maxBitrate, while the larger layers still spend every bit they are allowed. Plain noise makes the low layer's frames many times its per-frame budget even at the
 * coarsest quantiser, and the encoder then drops frames down to about one a second.
 */
export function startNoise(canvas, { fps = 30, fine = false } = {}) {
  const ctx = canvas.getContext('2d');
  const gridW = fine ? 40 : 160, gridH = fine ? 24 : 90;
  const small = new OffscreenCanvas(gridW, gridH);
  const smallCtx = small.getContext('2d');
  const image = smallCtx.createImageData(gridW, gridH);
  const grain = fine ? new OffscreenCanvas(canvas.width, canvas.height) : null;
  const grainCtx = fine ? grain.getContext('2d') : null;
  const grainImage = fine ? grainCtx.createImageData(canvas.width, canvas.height) : null;
  ctx.imageSmoothingEnabled = false;
  let frame = 0;
  const draw = () => {
    if (fine && frame++ % fps !== 0) {
      ctx.globalAlpha = 1;
      ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
      addGrain();
      return;
    }
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) {
      const v = Math.random() * 256;
      px[i] = v; px[i + 1] = Math.random() * 256; px[i + 2] = v; px[i + 3] = 255;
    }
    smallCtx.putImageData(image, 0, 0);
    ctx.globalAlpha = 1;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
    if (fine) addGrain();
  };
  const addGrain = () => {
    // Native randomness: per-pixel Math.random at 1280x720 would cost the page more than the encoders.
    const g = grainImage.data;
    for (let off = 0; off < g.length; off += 65536) crypto.getRandomValues(g.subarray(off, Math.min(g.length, off + 65536)));
    grainCtx.putImageData(grainImage, 0, 0);
    ctx.globalAlpha = 0.35;
    ctx.drawImage(grain, 0, 0);
  };
  draw();
  const timer = setInterval(draw, 1000 / fps);
  return { track: canvas.captureStream(fps).getVideoTracks()[0], stop: () => clearInterval(timer) };
}
