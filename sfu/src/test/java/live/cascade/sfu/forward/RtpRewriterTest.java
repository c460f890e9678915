package live.cascade.sfu.forward;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.rtp.AbsSendTime;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.Timestamps;
import org.junit.jupiter.api.Test;

class RtpRewriterTest {
    private static final long MS = 1_000_000L;
    private static final long OUT_SSRC = 0xABCDEF01L;
    /** Publisher: mid 4, abs-send-time 3, transport-cc 5, audio-level 6, rid 10, repaired-rid 11. */
    private static final HeaderExtensions PUBLISHER = new HeaderExtensions(4, 3, 5, 6, 10, 11);
    /** Viewer: mid 1, abs-send-time 2, transport-cc 3, audio-level 8, no rid. */
    private static final HeaderExtensions VIEWER = new HeaderExtensions(1, 2, 3, 8, 0, 0);

    private final RtpHeader in = new RtpHeader();
    private final RtpHeader out = new RtpHeader();
    private final byte[] dst = new byte[1500];
    private final TransportWideSequence tcc = new TransportWideSequence(500);

    private RtpRewriter rewriter(int initialSeq, long initialTs) {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, 102, 90_000, VIEWER, "v1", tcc, initialSeq, initialTs);
        r.setInputExtensions(PUBLISHER);
        return r;
    }

    /** Rewrites and returns the output header, or null when the rewriter refused the packet. */
    private RtpHeader send(RtpRewriter r, byte[] packet, long now) {
        assertThat(in.parse(packet, 0, packet.length)).isEqualTo(RtpStatus.OK);
        if (!r.rewrite(in, dst, 0, now)) return null;
        assertThat(out.parse(dst, 0, r.outLength())).isEqualTo(RtpStatus.OK);
        assertThat(r.outHeaderLength()).isEqualTo(out.headerLength());
        return out;
    }

    @Test
    void rewritesSsrcPayloadTypeSequenceAndTimestampKeepingMarkerAndPayload() {
        RtpRewriter r = rewriter(1000, 5000);
        byte[] p = rtp().pt(96).seq(7).ts(123).ssrc(0x11111111L).marker(true).csrc(9).payload(1, 2, 3).padding(2).build();

        RtpHeader o = send(r, p, 0);
        assertThat(o.ssrc()).isEqualTo(OUT_SSRC);
        assertThat(o.payloadType()).isEqualTo(102);
        assertThat(o.marker()).isTrue();
        assertThat(o.sequenceNumber()).isEqualTo(1000);
        assertThat(o.timestamp()).isEqualTo(5000);
        assertThat(o.csrc(0)).isEqualTo(9);
        assertThat(o.paddingLength()).isEqualTo(2);
        assertThat(dst[o.payloadOffset()]).isEqualTo((byte) 1);
        assertThat(dst[o.payloadOffset() + 2]).isEqualTo((byte) 3);
        assertThat(p[1] & 0x7F).as("the source is untouched").isEqualTo(96);
    }

    @Test
    void mapsReorderedAndLatePacketsByOffsetNotByArrivalOrder() {
        RtpRewriter r = rewriter(1000, 5000);
        send(r, rtp().seq(10).ts(0).build(), 0);
        assertThat(send(r, rtp().seq(13).ts(9000).build(), 1).sequenceNumber()).isEqualTo(1003);
        assertThat(send(r, rtp().seq(11).ts(3000).build(), 2).sequenceNumber()).isEqualTo(1001);
        assertThat(out.timestamp()).isEqualTo(8000);
        assertThat(send(r, rtp().seq(12).ts(6000).build(), 3).sequenceNumber()).isEqualTo(1002);
        assertThat(send(r, rtp().seq(14).ts(12000).build(), 4).sequenceNumber()).isEqualTo(1004);
        assertThat(r.highestOutSequence()).isEqualTo(1004);
    }

    @Test
    void followsTheInputThroughItsSequenceWrap() {
        RtpRewriter r = rewriter(300, 0);
        int[] inSeqs = {65534, 65535, 0, 1};
        for (int i = 0; i < inSeqs.length; i++) {
            assertThat(send(r, rtp().seq(inSeqs[i]).ts(i * 3000L).build(), i).sequenceNumber()).isEqualTo(300 + i);
        }
        // and a late packet from before the wrap still maps behind
        assertThat(send(r, rtp().seq(65534).ts(0).build(), 9).sequenceNumber()).isEqualTo(300);
    }

    @Test
    void wrapsItsOwnOutputSequenceAndTimestamp() {
        RtpRewriter r = rewriter(65534, 0xFFFF_FFFFL - 2999);
        int[] expected = {65534, 65535, 0, 1};
        long[] expectedTs = {0xFFFF_FFFFL - 2999, 0xFFFF_FFFFL + 1 - Timestamps.MODULUS, 3000, 6000};
        for (int i = 0; i < 4; i++) {
            RtpHeader o = send(r, rtp().seq(20 + i).ts(1000 + 3000L * i).build(), i);
            assertThat(o.sequenceNumber()).isEqualTo(expected[i]);
            assertThat(o.timestamp()).isEqualTo(expectedTs[i]);
        }
        assertThat(r.highestOutSequence()).isEqualTo(65537);
    }

    @Test
    void continuesSeamlesslyWhenThePublisherReconnectsWithANewSsrc() {
        RtpRewriter r = rewriter(1000, 5000);
        for (int i = 0; i < 10; i++) send(r, rtp().ssrc(0xA).seq(100 + i).ts(3000L * i).build(), i * 33 * MS);
        long lastSeq = out.sequenceNumber();
        long lastTs = out.timestamp();
        long lastSent = 9 * 33 * MS;

        // 2 s later a new stream: new SSRC, random sequence and timestamp bases
        RtpHeader o = send(r, rtp().ssrc(0xB).seq(40000).ts(123_456_789L).build(), lastSent + 2_000 * MS);
        assertThat(o.sequenceNumber()).isEqualTo(lastSeq + 1);
        assertThat(o.timestamp()).isEqualTo(lastTs + 180_000); // 2 s at 90 kHz: a freeze, not a jump
        o = send(r, rtp().ssrc(0xB).seq(40001).ts(123_456_789L + 3000).build(), lastSent + 2_033 * MS);
        assertThat(o.sequenceNumber()).isEqualTo(lastSeq + 2);
        assertThat(o.timestamp()).isEqualTo(lastTs + 183_000);
        assertThat(r.inputSsrc()).isEqualTo(0xB);
    }

    @Test
    void rebaseKeepsContinuityWhenTheSameSsrcJumpsInSequenceAndTimestamp() {
        RtpRewriter r = rewriter(65535, 10);
        send(r, rtp().ssrc(0xA).seq(500).ts(1_000_000).build(), 0);
        send(r, rtp().ssrc(0xA).seq(501).ts(1_003_000).build(), 33 * MS);
        assertThat(out.sequenceNumber()).isZero(); // output wrapped
        long lastTs = out.timestamp();

        r.rebase();
        assertThat(r.isAnchored()).isFalse();
        RtpHeader o = send(r, rtp().ssrc(0xA).seq(7).ts(0xFFFF_FF00L).build(), 33 * MS + 500 * MS);
        assertThat(o.sequenceNumber()).isEqualTo(1);
        assertThat(o.timestamp()).isEqualTo(lastTs + 45_000);
        o = send(r, rtp().ssrc(0xA).seq(8).ts(0x0000_0B00L).build(), 33 * MS + 533 * MS); // input ts wraps too
        assertThat(o.sequenceNumber()).isEqualTo(2);
        assertThat(o.timestamp()).isEqualTo(lastTs + 45_000 + 0xC00);
    }

    @Test
    void refusesPacketsThatWouldMapBeforeItsStartingPoint() {
        RtpRewriter r = rewriter(1000, 0);
        send(r, rtp().ssrc(0xA).seq(100).build(), 0);
        assertThat(send(r, rtp().ssrc(0xA).seq(99).build(), 1)).isNull();

        r.rebase();
        send(r, rtp().ssrc(0xA).seq(5000).build(), 2);
        assertThat(send(r, rtp().ssrc(0xA).seq(101).build(), 3)).as("late packet of the previous stream").isNull();
        assertThat(send(r, rtp().ssrc(0xA).seq(5001).build(), 4).sequenceNumber()).isEqualTo(1002);
    }

    @Test
    void remapsOneByteExtensionIdsAndReplacesPerHopValues() {
        RtpRewriter r = rewriter(0, 0);
        byte[] p = rtp()
                .ext1(4, bytes('a', 'b', 'c'))   // mid "abc" → viewer's "v1" under id 1
                .ext1(3, bytes(9, 9, 9))         // abs-send-time → id 2, our send time
                .ext1(5, bytes(0x77, 0x77))      // transport-cc → id 3, the viewer transport's counter
                .ext1(6, bytes(0x85))            // audio level → id 8, value kept
                .ext1(10, bytes('h'))            // rid: removed
                .ext1(7, bytes(1, 2))            // not negotiated by the publisher: removed
                .payload(0xEE).build();

        RtpHeader o = send(r, p, 1_500_000_000L);
        assertThat(o.extensionEquals(1, bytes('v', '1'))).isTrue();
        assertThat(BigEndian.u24(dst, o.findExtension(2))).isEqualTo(AbsSendTime.fromNanos(1_500_000_000L));
        assertThat(BigEndian.u16(dst, o.findExtension(3))).isEqualTo(500);
        assertThat(dst[o.findExtension(8)]).isEqualTo((byte) 0x85);
        for (int id : new int[] {4, 5, 6, 7, 10}) assertThat(o.findExtension(id)).as("id %d", id).isEqualTo(-1);
        assertThat(dst[o.payloadOffset()]).isEqualTo((byte) 0xEE);

        send(r, rtp().seq(1).ext1(5, bytes(0, 0)).build(), 2_000_000_000L);
        assertThat(BigEndian.u16(dst, out.findExtension(3))).isEqualTo(501);
        assertThat(tcc.peek()).isEqualTo(502);
    }

    @Test
    void removesAMidThatDoesNotFitAndIdsTheOneByteFormCannotCarry() {
        RtpRewriter r = new RtpRewriter(1, 100, 90_000, new HeaderExtensions(1, 0, 20, 0, 0, 0), "longer-mid", tcc, 0, 0);
        r.setInputExtensions(PUBLISHER);
        RtpHeader o = send(r, rtp().ext1(4, bytes('0')).ext1(5, bytes(1, 2)).build(), 0);
        assertThat(o.findExtension(1)).isEqualTo(-1);
        assertThat(o.findExtension(4)).isEqualTo(-1);
        assertThat(o.findExtension(5)).isEqualTo(-1);
        for (int i = o.extensionOffset(); i < o.extensionOffset() + o.extensionLength(); i++) assertThat(dst[i]).isZero();
    }

    @Test
    void remapsTwoByteExtensionsIncludingIdsAbove14() {
        RtpRewriter r = new RtpRewriter(1, 100, 90_000, new HeaderExtensions(1, 0, 20, 0, 0, 0), "m", tcc, 0, 0);
        r.setInputExtensions(PUBLISHER);
        RtpHeader o = send(r, rtp().ext2(4, bytes('x', 'y')).ext2(5, bytes(1, 2)).ext2(99, bytes(3)).build(), 0);
        assertThat(o.extensionEquals(1, bytes('m'))).isTrue();
        assertThat(BigEndian.u16(dst, o.findExtension(20))).isEqualTo(500);
        assertThat(o.findExtension(99)).isEqualTo(-1);
    }

    @Test
    void givesAPacketWithoutExtensionsTheViewersTransportCcNumber() {
        // FFmpeg and OBS publish over WHIP without transport-cc: the viewer's feedback must still cover every packet.
        RtpRewriter r = rewriter(0, 0);
        byte[] p = rtp().csrc(9).payload(1, 2, 3, 4, 5).padding(3).build();
        RtpHeader o = send(r, p, 0);
        assertThat(r.outLength()).isEqualTo(p.length + 8);
        assertThat(o.hasExtension()).isTrue();
        assertThat(o.csrc(0)).isEqualTo(9);
        assertThat(BigEndian.u16(dst, o.findExtension(3))).isEqualTo(500);
        assertThat(o.payloadLength()).isEqualTo(5);
        assertThat(dst[o.payloadOffset() + 4]).isEqualTo((byte) 5);
        assertThat(o.paddingLength()).isEqualTo(3);
        assertThat(tcc.peek()).isEqualTo(501);
    }

    @Test
    void addsTransportCcToABlockThatLacksIt() {
        RtpRewriter r = rewriter(0, 0);
        byte[] one = rtp().ext1(4, bytes('0')).payload(7, 8).build(); // publisher's mid only
        RtpHeader o = send(r, one, 0);
        assertThat(r.outLength()).isEqualTo(one.length + 4);
        assertThat(BigEndian.u16(dst, o.findExtension(3))).isEqualTo(500);
        assertThat(dst[o.payloadOffset()]).isEqualTo((byte) 7);

        RtpRewriter two = new RtpRewriter(1, 100, 90_000, new HeaderExtensions(1, 0, 20, 0, 0, 0), "m", tcc, 0, 0);
        two.setInputExtensions(PUBLISHER);
        byte[] p2 = rtp().ext2(4, bytes('x', 'y')).payload(6).build();
        RtpHeader o2 = send(two, p2, 0);
        assertThat(BigEndian.u16(dst, o2.findExtension(20))).as("two-byte form carries ids above 14").isEqualTo(501);
        assertThat(dst[o2.payloadOffset()]).isEqualTo((byte) 6);
    }

    @Test
    void leavesPacketsAloneWhenTheViewerNegotiatedNoTransportCc() {
        RtpRewriter r = new RtpRewriter(1, 100, 90_000, new HeaderExtensions(1, 0, 0, 0, 0, 0), "m", tcc, 0, 0);
        r.setInputExtensions(PUBLISHER);
        byte[] p = rtp().payload(1, 2, 3, 4, 5).build();
        RtpHeader o = send(r, p, 0);
        assertThat(r.outLength()).isEqualTo(p.length);
        assertThat(o.hasExtension()).isFalse();
        assertThat(tcc.peek()).isEqualTo(500);
    }

    @Test
    void mapsAndExtrapolatesTimestampsForSenderReports() {
        RtpRewriter r = rewriter(0, 1_000);
        assertThat(r.hasSent()).isFalse();
        send(r, rtp().seq(1).ts(50_000).build(), 100 * MS);
        assertThat(r.mapTimestamp(53_000)).isEqualTo(4_000);
        assertThat(r.extrapolateTimestamp(100 * MS + 1_000 * MS)).isEqualTo(91_000);
    }

    @Test
    void mapsAViewersSequenceNumberBackToThePublishersAcrossTheWrap() {
        RtpRewriter r = rewriter(65_534, 0);
        for (int seq = 300; seq < 305; seq++) send(r, rtp().seq(seq).ts(seq * 3000L).build(), 0);
        assertThat(r.inputSequenceFor(65_534)).isEqualTo(300);
        assertThat(r.inputSequenceFor(1)).isEqualTo(303);
        assertThat(r.inputSequenceFor(2)).isEqualTo(304);
        assertThat(r.inputSequenceFor(3)).as("not sent yet").isEqualTo(-1);
        assertThat(r.inputSequenceFor(65_533)).as("before the first packet sent").isEqualTo(-1);
        r.rebase();
        assertThat(r.inputSequenceFor(1)).as("the previous stream is gone").isEqualTo(-1);
    }

    @Test
    void catchingUpStampsEachFrameWithItsSendTimeThenContinuesAtNormalSpeed() {
        RtpRewriter r = rewriter(100, 1_000_000);
        long ms = 1_000_000L;
        r.beginCatchUp();
        assertThat(send(r, rtp().seq(10).ts(90_000).build(), 0).timestamp()).isEqualTo(1_000_000);
        assertThat(send(r, rtp().seq(11).ts(90_000).build(), 5 * ms).timestamp()).as("the same frame").isEqualTo(1_000_000);
        assertThat(send(r, rtp().seq(12).ts(93_000).build(), 10 * ms).timestamp()).as("sent 10 ms after the anchor")
                .isEqualTo(1_000_900);
        assertThat(send(r, rtp().seq(13).ts(180_000).build(), 400 * ms).timestamp())
                .as("a frame the byte cap held back: when it went, not a compressed promise").isEqualTo(1_036_000);
        assertThat(send(r, rtp().seq(14).ts(183_000).build(), 400 * ms).timestamp())
                .as("sent in the same instant: a tick later").isEqualTo(1_036_001);
        r.endCatchUp();
        RtpHeader live = send(r, rtp().seq(15).ts(186_000).build(), 433 * ms);
        assertThat(live.sequenceNumber()).isEqualTo(105);
        assertThat(live.timestamp()).as("one frame after the last catch-up one").isEqualTo(1_039_001);
        assertThat(send(r, rtp().seq(12).ts(93_000).build(), 500 * ms).timestamp())
                .as("a retransmission of a catch-up packet keeps its timestamp").isEqualTo(1_000_900);
        assertThat(send(r, rtp().seq(13).ts(180_000).build(), 500 * ms).timestamp()).isEqualTo(1_036_000);
        assertThat(r.isCatchingUp()).isFalse();
    }

    @Test
    void aSecondCatchUpAfterAReconnectStartsItsOwnRecord() {
        RtpRewriter r = rewriter(100, 1_000_000);
        long ms = 1_000_000L;
        r.beginCatchUp();
        send(r, rtp().seq(10).ts(90_000).build(), 0);
        send(r, rtp().seq(11).ts(93_000).build(), 20 * ms);
        r.endCatchUp();
        r.rebase();
        r.beginCatchUp();
        long first = send(r, rtp().seq(500).ts(7_000).build(), 1000 * ms).timestamp();
        assertThat(Timestamps.diff(first, 1_001_800)).as("continues after the last output, 980 ms later").isEqualTo(88_200);
        assertThat(send(r, rtp().seq(501).ts(10_000).build(), 1010 * ms).timestamp()).isEqualTo((first + 900) & Timestamps.MASK);
        assertThat(send(r, rtp().seq(500).ts(7_000).build(), 1020 * ms).timestamp()).isEqualTo(first);
    }
}
