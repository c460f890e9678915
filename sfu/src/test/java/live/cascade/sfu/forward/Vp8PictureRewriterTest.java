package live.cascade.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Vp8PictureRewriterTest {
    /** A payload descriptor with a 15-bit picture id and TL0PICIDX, then one payload byte. */
    private static byte[] wide(int pic, int tl0) {
        return new byte[] {(byte) 0x90, (byte) 0xC0, (byte) (0x80 | pic >> 8), (byte) pic, (byte) tl0, 0x10};
    }

    private static int pic(byte[] b) { return (b[2] & 0x7F) << 8 | b[3] & 0xFF; }

    @Test
    void theFirstSourceKeepsItsNumbersAndTheNextContinuesFromThem() {
        Vp8PictureRewriter r = new Vp8PictureRewriter();
        byte[] a = wide(32_766, 200);
        r.rewrite(a, 0, a.length);
        assertThat(pic(a)).isEqualTo(32_766);
        byte[] b = wide(32_767, 200);
        r.rewrite(b, 0, b.length);
        r.rebase();
        byte[] c = wide(17, 3); // another layer, its own numbering
        r.rewrite(c, 0, c.length);
        assertThat(pic(c)).isZero(); // 32767 + 1 wraps to 0
        assertThat(c[4] & 0xFF).isEqualTo(201);
        assertThat(c[2] & 0x80).as("the 15-bit form is kept").isEqualTo(0x80);
        byte[] d = wide(18, 3);
        r.rewrite(d, 0, d.length);
        assertThat(pic(d)).isEqualTo(1);
        assertThat(d[4] & 0xFF).isEqualTo(201);
    }

    @Test
    void aLateRepeatOfAnOlderPictureDoesNotMoveTheContinuationPoint() {
        Vp8PictureRewriter r = new Vp8PictureRewriter();
        for (int p : new int[] {100, 101, 102, 101}) {
            byte[] x = wide(p, 9);
            r.rewrite(x, 0, x.length);
        }
        assertThat(r.lastPictureId()).isEqualTo(102);
    }

    @Test
    void descriptorsWithoutPictureIdOrTooShortAreLeftAlone() {
        Vp8PictureRewriter r = new Vp8PictureRewriter();
        byte[] plain = {0x10, 0x10, 0x20};
        r.rewrite(plain, 0, plain.length);
        assertThat(plain).containsExactly(0x10, 0x10, 0x20);
        byte[] truncated = {(byte) 0x90, (byte) 0x80};
        r.rewrite(truncated, 0, truncated.length);
        assertThat(truncated).containsExactly((byte) 0x90, (byte) 0x80);
        assertThat(r.lastPictureId()).isEqualTo(-1);
    }
}
