package live.cascade.sfu.forward;

/**
 * Keeps a viewer's VP8 picture ids and TL0PICIDX continuous (RFC 7741 §4.2) when its source changes: another
 * simulcast layer, or a reconnected publisher. Each layer numbers its pictures on its own; a decoder that sees the
 * picture id jump takes frames as lost and may ask for a keyframe it does not need. After {@link #rebase()} the next
 * picture gets the last picture id sent + 1 (and TL0PICIDX the last + 1), the ones after it follow with the same
 * offset. Rewrites in place, same length (the picture id keeps its 7- or 15-bit form); no allocation.
 */
public final class Vp8PictureRewriter {
    private static final int PIC_MASK = 0x7FFF;

    private boolean picAnchored;
    private int picOffset;
    private boolean sentPic;
    private int lastOutPic;

    private boolean tl0Anchored;
    private int tl0Offset;
    private boolean sentTl0;
    private int lastOutTl0;

    /** The source changes: the next picture continues from the last one sent. */
    public void rebase() {
        picAnchored = false;
        tl0Anchored = false;
    }

    /** Rewrites the payload descriptor at {@code off} (the RTP payload), {@code len} payload bytes. */
    public void rewrite(byte[] b, int off, int len) {
        if (len < 2 || (b[off] & 0x80) == 0) return; // no extension byte: no picture id, no TL0PICIDX
        int x = b[off + 1] & 0xFF;
        int i = off + 2;
        int end = off + len;
        if ((x & 0x80) != 0) {
            if (i >= end) return;
            boolean wide = (b[i] & 0x80) != 0;
            if (wide && i + 1 >= end) return;
            int pic = wide ? ((b[i] & 0x7F) << 8) | (b[i + 1] & 0xFF) : b[i] & 0x7F;
            if (!picAnchored) {
                picOffset = sentPic ? (lastOutPic + 1 - pic) : 0;
                picAnchored = true;
            }
            int out = (pic + picOffset) & (wide ? PIC_MASK : 0x7F);
            if (wide) {
                b[i] = (byte) (0x80 | out >> 8);
                b[i + 1] = (byte) out;
                i += 2;
            } else {
                b[i] = (byte) out;
                i += 1;
            }
            if (!sentPic || newer(out, lastOutPic, wide ? PIC_MASK : 0x7F)) lastOutPic = out;
            sentPic = true;
        }
        if ((x & 0x40) != 0) {
            if (i >= end) return;
            int tl0 = b[i] & 0xFF;
            if (!tl0Anchored) {
                tl0Offset = sentTl0 ? (lastOutTl0 + 1 - tl0) : 0;
                tl0Anchored = true;
            }
            int out = (tl0 + tl0Offset) & 0xFF;
            b[i] = (byte) out;
            if (!sentTl0 || newer(out, lastOutTl0, 0xFF)) lastOutTl0 = out;
            sentTl0 = true;
        }
    }

    private static boolean newer(int a, int b, int mask) {
        int d = (a - b) & mask;
        return d != 0 && d <= mask >> 1;
    }

    /** The last picture id sent (for tests and stats), -1 before any. */
    public int lastPictureId() { return sentPic ? lastOutPic : -1; }

    public int lastTl0PicIdx() { return sentTl0 ? lastOutTl0 : -1; }
}
