package live.cascade.sfu.rtp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderExtensionCursorTest {
    private final RtpHeader h = new RtpHeader();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();

    private void open(byte[] p) {
        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(cursor.reset(p, h.extensionOffset(), h.extensionLength(), h.extensionProfile())).isTrue();
    }

    @Test
    void neutralizedOneByteElementReadsAsPaddingAndLaterElementsSurvive() {
        byte[] p = rtp().ext1(1, bytes(1, 2, 3)).ext1(2, bytes(9)).build();
        open(p);
        assertThat(cursor.next()).isTrue();
        cursor.neutralize();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.findExtension(1)).isEqualTo(-1);
        assertThat(p[h.findExtension(2)]).isEqualTo((byte) 9);
        for (int i = h.extensionOffset(); i < h.extensionOffset() + 4; i++) assertThat(p[i]).isZero();
    }

    @Test
    void setIdKeepsTheOneByteLengthNibble() {
        byte[] p = rtp().ext1(3, bytes(1, 2)).build();
        open(p);
        cursor.next();
        assertThat(cursor.setId(12)).isTrue();
        assertThat(cursor.setId(15)).isFalse();
        assertThat(cursor.setId(0)).isFalse();

        h.parse(p, 0, p.length);
        assertThat(h.findExtension(12)).isPositive();
        assertThat(h.foundExtensionLength()).isEqualTo(2);
    }

    @Test
    void twoByteFormCarriesIdsAbove14() {
        byte[] p = rtp().ext2(3, bytes(1)).build();
        open(p);
        cursor.next();
        assertThat(cursor.maxId()).isEqualTo(255);
        assertThat(cursor.setId(99)).isTrue();
        h.parse(p, 0, p.length);
        assertThat(h.findExtension(99)).isPositive();
    }

    @Test
    void replaceDataShrinksTheElementAndPadsTheRest() {
        byte[] p = rtp().ext1(1, bytes('a', 'b', 'c', 'd')).ext1(2, bytes(7)).build();
        open(p);
        cursor.next();
        assertThat(cursor.replaceData(bytes('x', 'y'))).isTrue();
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.id()).isEqualTo(2);

        h.parse(p, 0, p.length);
        assertThat(h.extensionEquals(1, bytes('x', 'y'))).isTrue();
        assertThat(p[h.findExtension(2)]).isEqualTo((byte) 7);
    }

    @Test
    void replaceDataRefusesAValueThatDoesNotFit() {
        byte[] p = rtp().ext1(1, bytes('a')).build();
        open(p);
        cursor.next();
        assertThat(cursor.replaceData(bytes('a', 'b'))).isFalse();
        assertThat(cursor.replaceData(new byte[0])).isFalse(); // one-byte form cannot say "empty"
        h.parse(p, 0, p.length);
        assertThat(h.extensionEquals(1, bytes('a'))).isTrue();
    }

    @Test
    void refusesNonRfc8285Profiles() {
        byte[] p = rtp().extRaw(0x1234, 0x10, 0x01).build();
        h.parse(p, 0, p.length);
        assertThat(cursor.reset(p, h.extensionOffset(), h.extensionLength(), h.extensionProfile())).isFalse();
        assertThat(cursor.next()).isFalse();
    }
}
