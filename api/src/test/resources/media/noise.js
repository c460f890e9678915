// A video source no encoder can compress, for congestion-control measurements: the encoder's output then follows
// its target bitrate instead of the content's needs.

/**
 * Random blocks (4x4 pixels at 640x360), redrawn every frame at `fps`: content that needs every bit the encoder is
 * allowed.
 */
export function startNoise(canvas, { fps = 30 } = {}) {
  const ctx = canvas.getContext('2d');
  const small = new OffscreenCanvas(160, 90);
  const smallCtx = small.getContext('2d');
  const image = smallCtx.createImageData(160, 90);
  ctx.imageSmoothingEnabled = false;
  const draw = () => {
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) {
      const v = Math.random() * 256;
      px[i] = v; px[i + 1] = Math.random() * 256; px[i + 2] = v; px[i + 3] = 255;
    }
    smallCtx.putImageData(image, 0, 0);
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  };
  draw();
  const timer = setInterval(draw, 1000 / fps);
  return { track: canvas.captureStream(fps).getVideoTracks()[0], stop: () => clearInterval(timer) };
}
