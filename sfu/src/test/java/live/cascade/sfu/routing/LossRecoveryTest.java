package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.DELTA;
import static live.cascade.sfu.routing.Fixtures.H264_RTX_PT;
import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.VIDEO_RTX_SSRC;
import static live.cascade.sfu.routing.Fixtures.VIDEO_SSRC;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.routing.Sent.payload;
import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.routing.Sent.sequences;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.RtcpNack;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NACKs both ways, RTX both ways, and duplicates. */
class LossRecoveryTest {
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);
    private static final int VIEWER_VIDEO_PT = 96;
    private static final int VIEWER_RTX_PT = 97;

    private final ManualClock clock = new ManualClock();
    private Router router;
    private FakeTransport publisher;
    private MediaReceiver ingress;

    @BeforeEach
    void setUp() {
        router = Fixtures.router(clock, RouterListener.NONE);
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
    }

    private void publish(byte[] p) { ingress.onRtp(p, 0, p.length); }

    private ViewerHandle viewer(FakeTransport t, boolean rtx) {
        List<TrackParameters> tracks = List.of(
                new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(109), 0xA1, 0, VIEWER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", Fixtures.h264(VIEWER_VIDEO_PT, rtx ? VIEWER_RTX_PT : -1),
                        0xA2, rtx ? 0xA3 : 0, VIEWER_EXT));
        return router.addViewer(t, tracks);
    }

    private static byte[] nack(long mediaSsrc, int... seqs) {
        byte[] b = new byte[128];
        int n = RtcpWriter.writeNack(b, 0, 0x777, mediaSsrc, seqs, seqs.length);
        return Arrays.copyOf(b, n);
    }

    private static void sendRtcp(ViewerHandle v, byte[] rtcp) { v.rtcpInput().onRtcp(rtcp, 0, rtcp.length); }

    /** Publishes a keyframe at {@code first} and deltas after it, 33 ms apart. */
    private void publishVideo(int first, int count) {
        for (int i = 0; i < count; i++) {
            publish(video(first + i, 3000L * i, i == 0 ? IDR : bytes(0x41, 0x9A, i)).build());
            clock.advanceMillis(33);
        }
    }

    private static byte[] rtxOf(int rtxSeq, byte[] original) {
        RtpHeader h = Sent.parse(original);
        byte[] p = Arrays.copyOfRange(original, h.payloadOffset(), h.payloadOffset() + h.payloadLength());
        byte[] withOsn = new byte[p.length + 2];
        BigEndian.put16(withOsn, 0, h.sequenceNumber());
        System.arraycopy(p, 0, withOsn, 2, p.length);
        return rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(rtxSeq).ts(h.timestamp()).payload(withOsn)
                .ext1(3, bytes(0, 200)).build();
    }

    private List<int[]> nacksToPublisher() {
        List<int[]> out = new java.util.ArrayList<>();
        for (byte[] p : rtcp(publisher, RtcpTypes.RTPFB, RtcpTypes.FMT_NACK)) {
            RtcpNack n = new RtcpNack();
            assertThat(n.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
            assertThat(n.mediaSsrc()).isEqualTo(VIDEO_SSRC);
            assertThat(n.senderSsrc()).isEqualTo(router.localSsrc());
            int[] seqs = new int[64];
            out.add(Arrays.copyOf(seqs, n.lostSequenceNumbers(seqs)));
        }
        return out;
    }

    // ------------------------------------------------------------------ viewer NACKs

    @Test
    void viewerNackIsAnsweredWithRtxWhenNegotiatedMappedThroughItsRewrittenSequence() {
        FakeTransport t = new FakeTransport();
        ViewerHandle v = viewer(t, true);
        publishVideo(1000, 5);
        List<RtpHeader> sent = withSsrc(t, 0xA2);
        assertThat(sent).hasSize(5);
        RtpHeader third = sent.get(2);
        int lostOut = third.sequenceNumber();
        byte[] thirdPayload = payload(third);
        int tccBefore = Sent.transportSequence(sent.get(4), 5);
        t.clear();

        sendRtcp(v, nack(0xA2, lostOut));

        List<RtpHeader> rtx = withSsrc(t, 0xA3);
        assertThat(rtx).hasSize(1);
        RtpHeader r = rtx.get(0);
        assertThat(r.payloadType()).isEqualTo(VIEWER_RTX_PT);
        assertThat(r.timestamp()).isEqualTo(third.timestamp());
        byte[] p = payload(r);
        assertThat(BigEndian.u16(p, 0)).as("OSN is the viewer's sequence number").isEqualTo(lostOut);
        assertThat(Arrays.copyOfRange(p, 2, p.length)).isEqualTo(thirdPayload);
        assertThat(r.extensionEquals(9, bytes('1'))).as("the viewer's mid").isTrue();
        assertThat(Sent.transportSequence(r, 5)).as("a fresh transport-wide number").isEqualTo((tccBefore + 1) & 0xFFFF);
        assertThat(withSsrc(t, 0xA2)).isEmpty();
        ViewerTrackStats s = v.stats().tracks().get(1);
        assertThat(s.packetsRetransmitted()).isEqualTo(1);
        assertThat(s.rtxPacketsSent()).isEqualTo(1);

        sendRtcp(v, nack(0xA2, lostOut, (lostOut + 1) & 0xFFFF));
        List<RtpHeader> more = withSsrc(t, 0xA3);
        assertThat(more).as("the repeat inside a round trip is throttled, the new one answered").hasSize(2);
        assertThat(more.get(1).sequenceNumber()).as("RTX has its own sequence").isEqualTo((r.sequenceNumber() + 1) & 0xFFFF);
        assertThat(router.dropCount(RouterDrop.RETRANSMISSION_THROTTLED)).isEqualTo(1);
    }

    @Test
    void viewerNackIsAnsweredWithThePlainPacketWithoutRtx() {
        FakeTransport t = new FakeTransport();
        ViewerHandle v = viewer(t, false);
        publishVideo(65_534, 4); // across the publisher's wrap
        RtpHeader second = withSsrc(t, 0xA2).get(1);
        byte[] secondPayload = payload(second);
        t.clear();

        sendRtcp(v, nack(0xA2, second.sequenceNumber()));

        assertThat(t.rtp).hasSize(1);
        RtpHeader again = Sent.parse(t.rtp.get(0));
        assertThat(again.ssrc()).isEqualTo(0xA2);
        assertThat(again.sequenceNumber()).isEqualTo(second.sequenceNumber());
        assertThat(again.timestamp()).isEqualTo(second.timestamp());
        assertThat(again.payloadType()).isEqualTo(VIEWER_VIDEO_PT);
        assertThat(payload(again)).isEqualTo(secondPayload);
        assertThat(v.stats().tracks().get(1).rtxPacketsSent()).isZero();
    }

    @Test
    void viewerNackForAnEvictedPacketIsCounted() {
        router = new Router("c", Fixtures.publisher(), RouterListener.NONE, Fixtures.config().withHistoryPackets(16),
                clock, new java.util.SplittableRandom(3));
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
        FakeTransport t = new FakeTransport();
        ViewerHandle v = viewer(t, true);
        publishVideo(1, 20);
        int firstOut = withSsrc(t, 0xA2).get(0).sequenceNumber();
        t.clear();
        sendRtcp(v, nack(0xA2, firstOut));
        assertThat(t.rtp).isEmpty();
        assertThat(router.dropCount(RouterDrop.NACK_NOT_IN_HISTORY)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ NACKs to the publisher

    @Test
    void publisherLossIsNackedInOnePacketAndTheRtxAnswerFillsTheViewersGapOnce() {
        FakeTransport t = new FakeTransport();
        viewer(t, true);
        byte[][] packets = new byte[8][];
        for (int i = 0; i < 8; i++) packets[i] = video(500 + i, 3000L * i, i == 0 ? IDR : bytes(0x41, i)).build();
        for (int i = 0; i < 8; i++) {
            if (i != 3 && i != 4) publish(packets[i]);
            clock.advanceMillis(5);
        }
        router.onTick(clock.nanoTime());
        List<int[]> nacks = nacksToPublisher();
        assertThat(nacks).hasSize(1);
        assertThat(nacks.get(0)).containsExactly(503, 504);
        List<Integer> before = sequences(withSsrc(t, 0xA2));
        assertThat(before).hasSize(6);

        publish(rtxOf(1, packets[3]));
        publish(rtxOf(2, packets[4]));
        publish(rtxOf(3, packets[4]));      // answered twice
        publish(packets[3]);                // and the original shows up late as well

        List<RtpHeader> after = withSsrc(t, 0xA2);
        assertThat(after).hasSize(8);
        int base = before.get(0);
        List<Integer> outSeqs = sequences(after);
        assertThat(outSeqs.subList(6, 8)).containsExactly((base + 3) & 0xFFFF, (base + 4) & 0xFFFF);
        assertThat(payload(after.get(6))).isEqualTo(payload(Sent.parse(packets[3])));
        assertThat(router.dropCount(RouterDrop.DUPLICATE_PACKET)).isEqualTo(2);
        TrackStats ts = router.stats().tracks().get(1);
        assertThat(ts.packetsRecovered()).isEqualTo(2);
        assertThat(ts.rtxPackets()).isEqualTo(3);
        assertThat(ts.packetsLost()).isZero();

        clock.advanceMillis(500);
        router.onTick(clock.nanoTime());
        assertThat(nacksToPublisher()).as("nothing left to ask for").hasSize(1);
    }

    @Test
    void anUnansweredNackIsRetriedAboutOncePerRoundTripAndThenGivenUp() {
        publish(video(1, 0, IDR).build());
        publish(video(3, 3000, DELTA).build());
        for (int i = 0; i < 100; i++) { // 5 s of ticks every 50 ms, with steady packets
            clock.advanceMillis(50);
            publish(video(4 + i, 6000 + 3000L * i, DELTA).build());
            router.onTick(clock.nanoTime());
        }
        List<int[]> nacks = nacksToPublisher();
        assertThat(nacks).allSatisfy(n -> assertThat(n).containsExactly(2));
        // Unknown round trip: 100 ms spacing; the 1 s age limit ends it after about ten requests.
        assertThat(nacks.size()).isBetween(8, 10);
        assertThat(router.stats().tracks().get(1).nacksRequested()).isEqualTo(nacks.size());
    }

    @Test
    void aHugeGapAsksForAKeyframeInsteadOfNacks() {
        publish(video(1, 0, IDR).build());
        clock.advanceMillis(2000);
        router.onTick(clock.nanoTime());
        publisher.clear();
        publish(video(5000, 3000, DELTA).build());
        clock.advanceMillis(20);
        router.onTick(clock.nanoTime());
        assertThat(nacksToPublisher()).isEmpty();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
    }

    @Test
    void rtxProbePaddingIsCountedNotForwarded() {
        FakeTransport t = new FakeTransport();
        viewer(t, true);
        publishVideo(1, 2);
        t.clear();
        publish(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(9).payload(new byte[0]).padding(224)
                .ext1(3, bytes(0, 77)).build());
        assertThat(t.rtp).isEmpty();
        assertThat(router.dropCount(RouterDrop.RTX_PADDING)).isEqualTo(1);
    }

    @Test
    void aPublisherWithoutNackIsNotSentNacks() {
        TrackParameters noNack = new TrackParameters(MediaKind.VIDEO, "1",
                new live.cascade.sfu.params.Codec(Fixtures.H264_PT, "H264", 90_000, 1, "", List.of("nack pli"), -1),
                VIDEO_SSRC, 0, Fixtures.PUBLISHER_EXT);
        List<TrackParameters> tracks = List.of(Fixtures.publisher().get(0), noNack);
        FakeTransport p = new FakeTransport();
        MediaReceiver in = router.attachPublisher(p, tracks);
        byte[] a = video(1, 0, IDR).build();
        byte[] b = video(5, 3000, DELTA).build();
        in.onRtp(a, 0, a.length);
        in.onRtp(b, 0, b.length);
        clock.advanceMillis(200);
        router.onTick(clock.nanoTime());
        assertThat(rtcp(p, RtcpTypes.RTPFB, RtcpTypes.FMT_NACK)).isEmpty();
    }
}
