package live.cascade.sfu.rtcp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.testkit.RtcpPackets;
import org.junit.jupiter.api.Test;

class RtcpTest {
    private final RtcpWalker walker = new RtcpWalker();
    private final byte[] buf = new byte[1500];

    @Test
    void senderReportRoundTripsWithReportBlocks() {
        int n = RtcpWriter.writeSenderReport(buf, 0, 0xAABBCCDDL, 0x1122334455667788L, 0xFFFFFFFFL, 1000, 123456, 2);
        n += RtcpWriter.writeReportBlock(buf, n, 1, 25, -3, 0x1_0005L, 77, 0x12345678L, 65536);
        n += RtcpWriter.writeReportBlock(buf, n, 2, 255, 0x7FFFFFL + 10, 9, 0, 0, 0);
        assertThat(n).isEqualTo(28 + 48);

        RtcpSenderReport sr = new RtcpSenderReport();
        assertThat(sr.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(sr.senderSsrc()).isEqualTo(0xAABBCCDDL);
        assertThat(sr.ntpTimestamp()).isEqualTo(0x1122334455667788L);
        assertThat(sr.rtpTimestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(sr.packetCount()).isEqualTo(1000);
        assertThat(sr.octetCount()).isEqualTo(123456);
        assertThat(sr.reportCount()).isEqualTo(2);
        assertThat(sr.reportBlock(0)).isEqualTo(new ReportBlock(1, 25, -3, 0x1_0005L, 77, 0x12345678L, 65536));
        assertThat(sr.blockCumulativeLost(1)).isEqualTo(0x7FFFFF); // clamped
        assertThat(sr.blockFractionLost(1)).isEqualTo(255);
        assertThat(walker.validate(buf, 0, n)).isEqualTo(RtcpStatus.OK);
    }

    @Test
    void receiverReportRoundTrips() {
        int n = RtcpWriter.writeReceiverReport(buf, 0, 42, List.of(new ReportBlock(7, 1, 2, 3, 4, 5, 6)));
        RtcpReceiverReport rr = new RtcpReceiverReport();
        assertThat(rr.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(rr.senderSsrc()).isEqualTo(42);
        assertThat(rr.reportCount()).isEqualTo(1);
        assertThat(rr.reportBlock(0)).isEqualTo(new ReportBlock(7, 1, 2, 3, 4, 5, 6));
        assertThat(new RtcpSenderReport().parse(buf, 0, n)).isEqualTo(RtcpStatus.WRONG_TYPE);
    }

    @Test
    void walkerVisitsEveryPacketOfACompound() {
        int n = RtcpWriter.writeReceiverReport(buf, 0, 1, 0);
        n += RtcpWriter.writeSdesCname(buf, n, 1, "cascade".getBytes(StandardCharsets.UTF_8));
        n += RtcpWriter.writePli(buf, n, 1, 2);
        n += RtcpWriter.writeFir(buf, n, 1, 3, 9);
        n += RtcpPackets.bye(buf, n, 1);

        walker.reset(buf, 0, n);
        int[] types = new int[5];
        int i = 0;
        while (walker.next()) types[i++] = walker.packetType();
        assertThat(walker.status()).isEqualTo(RtcpStatus.OK);
        assertThat(types).containsExactly(RtcpTypes.RR, RtcpTypes.SDES, RtcpTypes.PSFB, RtcpTypes.PSFB, RtcpTypes.BYE);
    }

    @Test
    void sdesCnameChunkIsPaddedToAWordWithAnEndItem() {
        for (int len = 0; len < 9; len++) {
            byte[] cname = new byte[len];
            Arrays.fill(cname, (byte) 'c');
            int n = RtcpWriter.writeSdesCname(buf, 0, 5, cname);
            assertThat(n % 4).isZero();
            assertThat(n).isGreaterThanOrEqualTo(4 + 4 + 2 + len + 1);
            assertThat(walker.validate(buf, 0, n)).isEqualTo(RtcpStatus.OK);
            assertThat(buf[10 + len]).isZero();
        }
    }

    @Test
    void pliAndFirRoundTrip() {
        int n = RtcpWriter.writePli(buf, 0, 10, 20);
        RtcpFeedback fb = new RtcpFeedback();
        assertThat(fb.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.PLI);
        assertThat(fb.senderSsrc()).isEqualTo(10);
        assertThat(fb.mediaSsrc()).isEqualTo(20);
        assertThat(fb.fciLength()).isZero();

        n = RtcpWriter.writeFir(buf, 0, 10, 30, 7);
        assertThat(fb.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.FIR);
        assertThat(fb.mediaSsrc()).isZero();
        RtcpFir fir = new RtcpFir();
        assertThat(fir.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(fir.entryCount()).isEqualTo(1);
        assertThat(fir.entrySsrc(0)).isEqualTo(30);
        assertThat(fir.entrySequenceNumber(0)).isEqualTo(7);
    }

    @Test
    void nackPacksNearbyLossesIntoOneBlpAcrossTheWrap() {
        int[] lost = {65534, 65535, 0, 3, 14, 40}; // 14 is the last BLP bit of 65534
        int n = RtcpWriter.writeNack(buf, 0, 1, 2, lost, lost.length);
        RtcpNack nack = new RtcpNack();
        assertThat(nack.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        assertThat(nack.mediaSsrc()).isEqualTo(2);
        assertThat(nack.itemCount()).isEqualTo(2);
        assertThat(nack.pid(0)).isEqualTo(65534);
        assertThat(nack.pid(1)).isEqualTo(40);
        assertThat(nack.lostCount()).isEqualTo(6);
        int[] out = new int[16];
        int count = nack.lostSequenceNumbers(out);
        assertThat(Arrays.copyOf(out, count)).containsExactly(65534, 65535, 0, 3, 14, 40);
        RtcpFeedback fb = new RtcpFeedback();
        fb.parse(buf, 0, n);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.NACK);
    }

    @Test
    void parsesHandcraftedRemb() {
        // PSFB fmt 15, length 5 words: sender, media 0, 'REMB', num=1, exp=3 mantissa=0x1ABCD, ssrc
        byte[] p = bytes(0x8F, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B',
                1, (3 << 2) | 0x01, 0xAB, 0xCD, 0xDE, 0xAD, 0xBE, 0xEF);
        assertThat(walker.validate(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
        RtcpFeedback fb = new RtcpFeedback();
        fb.parse(p, 0, p.length);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.REMB);
        RtcpRemb remb = new RtcpRemb();
        assertThat(remb.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
        assertThat(remb.bitrate()).isEqualTo(0x1ABCDL << 3);
        assertThat(remb.ssrcCount()).isEqualTo(1);
        assertThat(remb.ssrc(0)).isEqualTo(0xDEADBEEFL);

        p[16] = 2; // claims two SSRCs
        assertThat(remb.parse(p, 0, p.length)).isEqualTo(RtcpStatus.TRUNCATED);
        p[16] = 1;
        p[17] = (byte) (63 << 2 | 3); // huge exponent saturates
        assertThat(remb.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
        assertThat(remb.bitrate()).isEqualTo(Long.MAX_VALUE);
        p[12] = 'X';
        fb.parse(p, 0, p.length);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.OTHER);
        assertThat(remb.parse(p, 0, p.length)).isEqualTo(RtcpStatus.BAD_FCI);
    }

    @Test
    void identifiesTransportCcFeedback() {
        // RTPFB fmt 15: base seq 0x0102, status count 3, reference time -2, fb count 9, one run-length chunk
        byte[] p = bytes(0x8F, 205, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0x02, 0, 3, 0xFF, 0xFF, 0xFE, 9,
                0x20, 0x03, 0, 0);
        assertThat(walker.validate(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
        RtcpFeedback fb = new RtcpFeedback();
        fb.parse(p, 0, p.length);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.TRANSPORT_CC);
        RtcpTransportCc tcc = new RtcpTransportCc();
        assertThat(tcc.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
        assertThat(tcc.baseSequenceNumber()).isEqualTo(0x0102);
        assertThat(tcc.packetStatusCount()).isEqualTo(3);
        assertThat(tcc.referenceTime()).isEqualTo(-2);
        assertThat(tcc.feedbackPacketCount()).isEqualTo(9);
    }

    @Test
    void walkerAcceptsPaddingOnlyOnTheLastPacket() {
        byte[] last = bytes(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4); // RR, 4 bytes of padding
        assertThat(walker.validate(last, 0, last.length)).isEqualTo(RtcpStatus.OK);
        walker.reset(last, 0, last.length);
        walker.next();
        assertThat(walker.paddingLength()).isEqualTo(4);
        assertThat(walker.contentLength()).isEqualTo(8);
        assertThat(new RtcpReceiverReport().parse(last, 0, walker.contentLength())).isEqualTo(RtcpStatus.OK);

        byte[] notLast = new byte[last.length + 12];
        System.arraycopy(last, 0, notLast, 0, last.length);
        RtcpWriter.writePli(notLast, last.length, 1, 2);
        assertThat(walker.validate(notLast, 0, notLast.length)).isEqualTo(RtcpStatus.PADDING_NOT_LAST);

        byte[] zero = last.clone();
        zero[11] = 0;
        assertThat(walker.validate(zero, 0, zero.length)).isEqualTo(RtcpStatus.BAD_PADDING);
        byte[] huge = last.clone();
        huge[11] = 12;
        assertThat(walker.validate(huge, 0, huge.length)).isEqualTo(RtcpStatus.BAD_PADDING);
    }

    @Test
    void walkerNamesHeaderProblems() {
        int n = RtcpWriter.writePli(buf, 0, 1, 2);
        assertThat(walker.validate(buf, 0, 0)).isEqualTo(RtcpStatus.TOO_SHORT);
        assertThat(walker.validate(buf, 0, 3)).isEqualTo(RtcpStatus.TOO_SHORT);
        assertThat(walker.validate(buf, 0, n + 2)).isEqualTo(RtcpStatus.TOO_SHORT); // trailing garbage
        assertThat(walker.validate(buf, -1, 4)).isEqualTo(RtcpStatus.BAD_BOUNDS);
        assertThat(walker.validate(null, 0, 4)).isEqualTo(RtcpStatus.BAD_BOUNDS);
        byte[] v = Arrays.copyOf(buf, n);
        v[0] = 0x41;
        assertThat(walker.validate(v, 0, n)).isEqualTo(RtcpStatus.BAD_VERSION);
        byte[] l = Arrays.copyOf(buf, n);
        l[3] = 9;
        assertThat(walker.validate(l, 0, n)).isEqualTo(RtcpStatus.LENGTH_OVERRUN);
    }

    @Test
    void viewsNameContentProblems() {
        int n = RtcpWriter.writeReceiverReport(buf, 0, 1, 1);
        assertThat(new RtcpReceiverReport().parse(buf, 0, n)).isEqualTo(RtcpStatus.TRUNCATED); // block missing
        n = RtcpWriter.writePli(buf, 0, 1, 2);
        assertThat(new RtcpNack().parse(buf, 0, n)).isEqualTo(RtcpStatus.WRONG_TYPE);
        assertThat(new RtcpFir().parse(buf, 0, n)).isEqualTo(RtcpStatus.WRONG_TYPE);
        buf[0] = (byte) 0x81;
        buf[1] = (byte) 205; // now an RTPFB NACK with no FCI
        assertThat(new RtcpNack().parse(buf, 0, n)).isEqualTo(RtcpStatus.BAD_FCI);
        buf[0] = (byte) 0x84;
        buf[1] = (byte) 206; // FIR with no entries
        assertThat(new RtcpFir().parse(buf, 0, n)).isEqualTo(RtcpStatus.BAD_FCI);
        assertThat(new RtcpSenderReport().parse(buf, 0, 20)).isEqualTo(RtcpStatus.WRONG_TYPE);
        assertThat(new RtcpFeedback().parse(buf, 0, 8)).isEqualTo(RtcpStatus.TOO_SHORT);
    }

    @Test
    void everyTruncationOfACompoundIsAnErrorUnlessItEndsOnAPacketBoundary() {
        int n = RtcpWriter.writeSenderReport(buf, 0, 1, 2, 3, 4, 5, 1);
        n += RtcpWriter.writeReportBlock(buf, n, 9, 0, 0, 0, 0, 0, 0);
        int b1 = n;
        n += RtcpWriter.writeSdesCname(buf, n, 1, bytes('a', 'b', 'c'));
        int b2 = n;
        n += RtcpWriter.writeNack(buf, n, 1, 9, new int[] {1, 2, 100}, 3);
        int b3 = n;
        n += RtcpWriter.writeFir(buf, n, 1, 9, 1);
        assertThat(walker.validate(buf, 0, n)).isEqualTo(RtcpStatus.OK);

        for (int len = 0; len < n; len++) {
            RtcpStatus s = walker.validate(buf, 0, len);
            boolean boundary = len == b1 || len == b2 || len == b3;
            if (boundary) assertThat(s).as("cut at %d", len).isEqualTo(RtcpStatus.OK);
            else assertThat(s).as("cut at %d", len).isNotEqualTo(RtcpStatus.OK);
        }
    }

    @Test
    void viewsRejectEveryTruncationOfTheirFixedPart() {
        int n = RtcpWriter.writeSenderReport(buf, 0, 1, 2, 3, 4, 5, 1);
        n += RtcpWriter.writeReportBlock(buf, n, 9, 0, 0, 0, 0, 0, 0);
        RtcpSenderReport sr = new RtcpSenderReport();
        for (int len = 0; len < n; len++) assertThat(sr.parse(buf, 0, len)).isNotEqualTo(RtcpStatus.OK);

        n = RtcpWriter.writeFir(buf, 0, 1, 2, 3);
        RtcpFir fir = new RtcpFir();
        for (int len = 0; len < n; len++) assertThat(fir.parse(buf, 0, len)).isNotEqualTo(RtcpStatus.OK);

        n = RtcpWriter.writeNack(buf, 0, 1, 2, new int[] {5}, 1);
        RtcpNack nack = new RtcpNack();
        for (int len = 0; len < n; len++) assertThat(nack.parse(buf, 0, len)).isNotEqualTo(RtcpStatus.OK);
    }
}
