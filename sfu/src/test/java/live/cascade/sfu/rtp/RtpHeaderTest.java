package live.cascade.sfu.rtp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpHeaderTest {
    private final RtpHeader h = new RtpHeader();

    @Test
    void parsesFixedHeaderFields() {
        byte[] p = rtp().pt(111).seq(0xFFFE).ts(0xFEDCBA98L).ssrc(0xCAFEBABEL).marker(true).payload(9, 8, 7).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.version()).isEqualTo(2);
        assertThat(h.marker()).isTrue();
        assertThat(h.payloadType()).isEqualTo(111);
        assertThat(h.sequenceNumber()).isEqualTo(0xFFFE);
        assertThat(h.timestamp()).isEqualTo(0xFEDCBA98L);
        assertThat(h.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(h.hasExtension()).isFalse();
        assertThat(h.hasPadding()).isFalse();
        assertThat(h.headerLength()).isEqualTo(12);
        assertThat(h.payloadOffset()).isEqualTo(12);
        assertThat(h.payloadLength()).isEqualTo(3);
    }

    @Test
    void honoursOffsetIntoALargerBuffer() {
        byte[] p = rtp().seq(7).payload(1, 2).build();
        byte[] big = new byte[p.length + 20];
        System.arraycopy(p, 0, big, 10, p.length);

        assertThat(h.parse(big, 10, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.offset()).isEqualTo(10);
        assertThat(h.sequenceNumber()).isEqualTo(7);
        assertThat(h.payloadOffset()).isEqualTo(22);
        assertThat(h.payloadLength()).isEqualTo(2);
    }

    @Test
    void readsCsrcsAndStartsThePayloadAfterThem() {
        byte[] p = rtp().csrc(0x01020304L).csrc(0xA0B0C0D0L).payload(5).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.csrcCount()).isEqualTo(2);
        assertThat(h.csrc(0)).isEqualTo(0x01020304L);
        assertThat(h.csrc(1)).isEqualTo(0xA0B0C0D0L);
        assertThat(h.headerLength()).isEqualTo(20);
        assertThat(p[h.payloadOffset()]).isEqualTo((byte) 5);
    }

    @Test
    void findsOneByteExtensionsByIdAcrossPaddingBytes() {
        byte[] p = rtp()
                .ext1(1, bytes('v', 'i', 'd'))
                .extRaw(0xBEDE, 0, 0)                 // two padding bytes between elements
                .ext1(3, bytes(0x12, 0x34))
                .ext1(14, bytes(0x7F))
                .payload(0xAA).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(h.extensionLength() % 4).isZero();
        int at = h.findExtension(1);
        assertThat(at).isPositive();
        assertThat(h.foundExtensionLength()).isEqualTo(3);
        assertThat(new String(p, at, 3)).isEqualTo("vid");
        assertThat(BigEndian.u16(p, h.findExtension(3))).isEqualTo(0x1234);
        assertThat(p[h.findExtension(14)]).isEqualTo((byte) 0x7F);
        assertThat(h.findExtension(2)).isEqualTo(-1);
        assertThat(h.extensionEquals(1, bytes('v', 'i', 'd'))).isTrue();
        assertThat(h.extensionEquals(1, bytes('v', 'i'))).isFalse();
        assertThat(p[h.payloadOffset()]).isEqualTo((byte) 0xAA);
    }

    @Test
    void stopsAtTheReservedOneByteId15() {
        // RFC 8285: id 15 ends processing; what follows (here an element that would overrun) is ignored.
        byte[] p = rtp().ext1(2, bytes(1)).extRaw(0xBEDE, 0xFF, 0x3F).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.findExtension(2)).isPositive();
        assertThat(h.findExtension(3)).isEqualTo(-1);
    }

    @Test
    void findsTwoByteExtensionsIncludingEmptyAndHighIds() {
        byte[] p = rtp()
                .ext2(1, bytes('a'))
                .ext2(200, new byte[0])
                .extRaw(0x1000, 0)                     // padding
                .ext2(17, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18))
                .build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.extensionProfile()).isEqualTo(0x1000);
        assertThat(h.findExtension(1)).isPositive();
        assertThat(h.findExtension(200)).isPositive();
        assertThat(h.foundExtensionLength()).isZero();
        assertThat(h.findExtension(17)).isPositive();
        assertThat(h.foundExtensionLength()).isEqualTo(18);
    }

    @Test
    void twoByteProfileKeepsItsApplicationBits() {
        byte[] p = rtp().extRaw(0x100A, 5, 1, 0x42).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.extensionProfile()).isEqualTo(0x100A);
        assertThat(p[h.findExtension(5)]).isEqualTo((byte) 0x42);
    }

    @Test
    void treatsAnUnknownProfileAsAnOpaqueBlock() {
        byte[] p = rtp().extRaw(0xABCD, 0x10, 0xFF, 0xFF, 0xFF, 0xFF).payload(3).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.extensionLength()).isEqualTo(8);
        assertThat(h.findExtension(1)).isEqualTo(-1);
        assertThat(p[h.payloadOffset()]).isEqualTo((byte) 3);
    }

    @Test
    void excludesPaddingFromThePayload() {
        byte[] p = rtp().payload(1, 2, 3).padding(5).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.hasPadding()).isTrue();
        assertThat(h.paddingLength()).isEqualTo(5);
        assertThat(h.payloadLength()).isEqualTo(3);
    }

    @Test
    void acceptsAPaddingOnlyPacket() {
        byte[] p = rtp().payload(new byte[0]).padding(4).build();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.payloadLength()).isZero();
    }

    @Test
    void reportsEachKindOfMalformation() {
        byte[] ok = rtp().build();
        assertThat(h.parse(ok, 0, 11)).isEqualTo(RtpStatus.TOO_SHORT);
        assertThat(h.parse(null, 0, 0)).isEqualTo(RtpStatus.BAD_BOUNDS);
        assertThat(h.parse(ok, 5, ok.length)).isEqualTo(RtpStatus.BAD_BOUNDS);
        assertThat(h.parse(ok, -1, 4)).isEqualTo(RtpStatus.BAD_BOUNDS);

        byte[] v1 = ok.clone();
        v1[0] = 0x40;
        assertThat(h.parse(v1, 0, v1.length)).isEqualTo(RtpStatus.BAD_VERSION);

        byte[] cc = ok.clone();
        cc[0] = (byte) 0x8F; // 15 CSRCs claimed
        assertThat(h.parse(cc, 0, cc.length)).isEqualTo(RtpStatus.CSRC_OVERRUN);

        byte[] ext = rtp().ext1(1, bytes(1, 2)).payload(new byte[0]).build();
        ext[15] = 9; // block length 9 words
        assertThat(h.parse(ext, 0, ext.length)).isEqualTo(RtpStatus.EXTENSION_OVERRUN);
        byte[] extHeader = rtp().payload(new byte[0]).build();
        extHeader[0] |= 0x10; // X set, no room for the extension header
        assertThat(h.parse(extHeader, 0, extHeader.length)).isEqualTo(RtpStatus.EXTENSION_OVERRUN);

        byte[] element = rtp().extRaw(0xBEDE, 0x1F, 0, 0).build(); // id 1, 16 bytes claimed in a 4-byte block
        assertThat(h.parse(element, 0, element.length)).isEqualTo(RtpStatus.EXTENSION_ELEMENT_OVERRUN);
        byte[] element2 = rtp().extRaw(0x1000, 0, 0, 0, 7).build(); // two-byte: id 7 with no length byte
        assertThat(h.parse(element2, 0, element2.length)).isEqualTo(RtpStatus.EXTENSION_ELEMENT_OVERRUN);

        byte[] zeroPad = rtp().payload(1, 2, 0).build();
        zeroPad[0] |= 0x20;
        assertThat(h.parse(zeroPad, 0, zeroPad.length)).isEqualTo(RtpStatus.BAD_PADDING);
        byte[] bigPad = rtp().payload(1, 2, 4).build();
        bigPad[0] |= 0x20;
        assertThat(h.parse(bigPad, 0, bigPad.length)).isEqualTo(RtpStatus.BAD_PADDING);
        byte[] noRoom = rtp().payload(new byte[0]).build();
        noRoom[0] |= 0x20;
        assertThat(h.parse(noRoom, 0, noRoom.length)).isEqualTo(RtpStatus.BAD_PADDING);
    }

    @Test
    void everyTruncationIntoTheHeaderIsAnErrorAndIntoThePayloadShortensIt() {
        byte[] p = rtp().csrc(1).csrc(2).ext1(1, bytes(1, 2, 3)).ext1(2, bytes(4)).payload(1, 2, 3, 4, 5, 6).build();
        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        int headerLength = h.headerLength();

        for (int len = 0; len < p.length; len++) {
            RtpStatus s = h.parse(p, 0, len);
            if (len < headerLength) {
                assertThat(s).as("truncated to %d", len).isNotEqualTo(RtpStatus.OK);
            } else {
                assertThat(s).as("truncated to %d", len).isEqualTo(RtpStatus.OK);
                assertThat(h.payloadLength()).isEqualTo(len - headerLength);
            }
        }
    }

    @Test
    void everyTruncationOfAPaddedPacketIsRejectedOrConsistent() {
        byte[] p = rtp().ext2(1, bytes(1)).payload(7, 7, 7).padding(3).build();
        for (int len = 0; len < p.length; len++) {
            RtpStatus s = h.parse(p, 0, len);
            if (s == RtpStatus.OK) {
                assertThat(h.payloadOffset() + h.payloadLength() + h.paddingLength()).isEqualTo(len);
            }
        }
        assertThat(h.parse(p, 0, 12)).isEqualTo(RtpStatus.EXTENSION_OVERRUN);
    }
}
