package live.cascade.sfu.rtcp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;

import java.util.Arrays;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.rtp.Fuzz;
import live.cascade.sfu.testkit.RtcpPackets;
import org.junit.jupiter.api.Test;

/** The RTCP walker and every view never throw, whatever the input, and accessors stay inside the packet. */
class RtcpParserFuzzTest {
    private static final int ITERATIONS = 40_000;

    private static byte[][] seeds() {
        byte[] b = new byte[1500];
        int n = RtcpWriter.writeSenderReport(b, 0, 1, 2, 3, 4, 5, 1);
        n += RtcpWriter.writeReportBlock(b, n, 9, 1, 2, 3, 4, 5, 6);
        n += RtcpWriter.writeSdesCname(b, n, 1, bytes('x', 'y'));
        byte[] srCompound = Arrays.copyOf(b, n);
        n = RtcpWriter.writeReceiverReport(b, 0, 1, 0);
        n += RtcpWriter.writePli(b, n, 1, 2);
        n += RtcpWriter.writeFir(b, n, 1, 2, 3);
        n += RtcpWriter.writeNack(b, n, 1, 2, new int[] {1, 3, 40}, 3);
        n += RtcpPackets.bye(b, n, 1);
        byte[] feedbackCompound = Arrays.copyOf(b, n);
        byte[] remb = bytes(0x8F, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0x0D, 0xAB, 0xCD, 0, 0, 0, 2);
        byte[] tcc = bytes(0x8F, 205, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 0, 3, 0, 0, 1, 9, 0x20, 3, 0, 0);
        byte[] padded = bytes(0xA0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4);
        TransportCcFeedback generator = new TransportCcFeedback();
        for (int i = 0; i < 30; i++) if (i % 4 != 1) generator.onPacket(65_530 + i, i * (i % 3 == 0 ? 70_000_000L : 1_000_000L));
        byte[] generated = new byte[1500];
        generated = java.util.Arrays.copyOf(generated, generator.write(generated, 0, 1, 2));
        return new byte[][] {srCompound, feedbackCompound, remb, tcc, padded, generated};
    }

    @Test
    void walkerAndViewsNeverThrow() {
        byte[][] seeds = seeds();
        RtcpWalker walker = new RtcpWalker();
        RtcpSenderReport sr = new RtcpSenderReport();
        RtcpReceiverReport rr = new RtcpReceiverReport();
        RtcpFeedback fb = new RtcpFeedback();
        RtcpNack nack = new RtcpNack();
        RtcpFir fir = new RtcpFir();
        RtcpRemb remb = new RtcpRemb();
        RtcpTransportCc tcc = new RtcpTransportCc();
        byte[] statuses = new byte[16];
        int[] deltas = new int[16];
        int[] lost = new int[64];
        int[] at = new int[1];
        Fuzz.withSeeds(new long[] {3, 1234, 0xBADC0DE}, r -> {
            int walked = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] packet = r.nextInt(3) == 0 ? Fuzz.randomBytes(r, 96) : Fuzz.mutate(r, seeds[r.nextInt(seeds.length)]);
                if (r.nextInt(3) == 0 && packet.length > 0) packet[0] = (byte) (0x80 | packet[0] & 0x3F);
                byte[] input = Fuzz.embed(r, packet, at);
                int off = at[0];
                int len = packet.length;

                // Views on raw, unwalked input must cope too.
                sr.parse(input, off, len);
                rr.parse(input, off, len);
                fb.parse(input, off, len);
                nack.parse(input, off, len);
                fir.parse(input, off, len);
                remb.parse(input, off, len);
                if (tcc.parse(input, off, len) == RtcpStatus.OK) tcc.decode(statuses, deltas);

                walker.reset(input, off, len);
                while (walker.next()) {
                    walked++;
                    int po = walker.packetOffset();
                    int pl = walker.contentLength();
                    if (sr.parse(input, po, pl) == RtcpStatus.OK) readBlocks(sr);
                    if (rr.parse(input, po, pl) == RtcpStatus.OK) readBlocks(rr);
                    if (fb.parse(input, po, pl) == RtcpStatus.OK) {
                        fb.kind();
                        fb.mediaSsrc();
                    }
                    if (nack.parse(input, po, pl) == RtcpStatus.OK) {
                        nack.lostCount();
                        nack.lostSequenceNumbers(lost);
                    }
                    if (fir.parse(input, po, pl) == RtcpStatus.OK) {
                        for (int k = 0; k < fir.entryCount(); k++) fir.entrySsrc(k);
                    }
                    if (remb.parse(input, po, pl) == RtcpStatus.OK) {
                        for (int k = 0; k < remb.ssrcCount(); k++) remb.ssrc(k);
                    }
                    if (tcc.parse(input, po, pl) == RtcpStatus.OK) {
                        tcc.baseSequenceNumber();
                        tcc.feedbackPacketCount();
                        tcc.decode(statuses, deltas);
                        tcc.decode(null, null);
                    }
                }
            }
            // the mutations must keep reaching the views, or this test proves little
            if (walked < ITERATIONS / 4) throw new AssertionError("only " + walked + " packets walked");
        });
    }

    private static void readBlocks(RtcpReportBlocks report) {
        for (int k = 0; k < report.reportCount(); k++) report.reportBlock(k);
    }
}
