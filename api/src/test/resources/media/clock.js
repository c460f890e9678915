// The wall clock as a picture: Date.now() modulo 2^24 in 24 black/white cells plus an 8-bit check, on an 8x4 grid.
// Cells are large (80x90 at 640x360), so the pattern survives a low-bitrate encode and any scaling by the viewer.

const COLUMNS = 8;
const ROWS = 4;
const MASK = 0xffffff;

function check(value) {
  return ((value & 0xff) + ((value >>> 8) & 0xff) * 3 + ((value >>> 16) & 0xff) * 7 + 0x5a) & 0xff;
}

function bitsOf(value) {
  const word = ((value & MASK) * 256) + check(value); // 32 bits: value, then check
  const bits = [];
  for (let i = 31; i >= 0; i--) bits.push(Math.floor(word / 2 ** i) % 2);
  return bits;
}

export const clockPattern = {
  draw(ctx, width, height, now) {
    const bits = bitsOf(now);
    const w = width / COLUMNS;
    const h = height / ROWS;
    for (let i = 0; i < 32; i++) {
      ctx.fillStyle = bits[i] ? '#ffffff' : '#000000';
      ctx.fillRect((i % COLUMNS) * w, Math.floor(i / COLUMNS) * h, Math.ceil(w), Math.ceil(h));
    }
  },

  /** The clock value in an RGBA image of the whole frame, or null when a cell is ambiguous or the check fails. */
  read(rgba, width, height) {
    const w = width / COLUMNS;
    const h = height / ROWS;
    let value = 0;
    let checkBits = 0;
    for (let i = 0; i < 32; i++) {
      const x = Math.floor((i % COLUMNS) * w + w / 2);
      const y = Math.floor(Math.floor(i / COLUMNS) * h + h / 2);
      const p = (y * width + x) * 4;
      const luma = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
      if (luma > 64 && luma < 192) return null; // mid-grey: a blurred or half-decoded cell
      const bit = luma >= 128 ? 1 : 0;
      if (i < 24) value = value * 2 + bit; else checkBits = checkBits * 2 + bit;
    }
    return check(value) === checkBits ? value : null;
  },

  /** Milliseconds from the clock value drawn at the publisher to now (same machine, same clock). */
  age(value, now) {
    return ((now & MASK) - value + MASK + 1) % (MASK + 1);
  },
};
