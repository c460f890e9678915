package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.AUDIO_SSRC;
import static live.cascade.sfu.routing.Fixtures.DELTA;
import static live.cascade.sfu.routing.Fixtures.H264_PT;
import static live.cascade.sfu.routing.Fixtures.H264_RTX_PT;
import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.VIDEO_RTX_SSRC;
import static live.cascade.sfu.routing.Fixtures.VIDEO_SSRC;
import static live.cascade.sfu.routing.Fixtures.audio;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.FeedbackKind;
import live.cascade.sfu.rtcp.ReportBlock;
import live.cascade.sfu.rtcp.RtcpFeedback;
import live.cascade.sfu.rtcp.RtcpFir;
import live.cascade.sfu.rtcp.RtcpReceiverReport;
import live.cascade.sfu.rtcp.RtcpSenderReport;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWalker;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final long MS = 1_000_000L;
    /** Viewer A: ids unlike the publisher's, mids "2"/"3". */
    private static final HeaderExtensions VIEWER_A_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);
    /** Viewer B: only mid and abs-send-time. */
    private static final HeaderExtensions VIEWER_B_EXT = new HeaderExtensions(3, 4, 0, 0, 0, 0);

    private final ManualClock clock = new ManualClock();
    private final List<String> events = new ArrayList<>();
    private final RouterListener listener = new RouterListener() {
        @Override public void onFirstMedia(String channelId) { events.add("first-media " + channelId); }

        @Override public void onKeyframeRequest(String channelId, String mid) { events.add("keyframe " + mid); }
    };
    private Router router;
    private FakeTransport publisher;
    private MediaReceiver ingress;

    @BeforeEach
    void setUp() {
        router = Fixtures.router(clock, listener);
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
    }

    private ViewerHandle viewerA(FakeTransport t) {
        return router.addViewer(t, Fixtures.viewer(0xA1, 109, 0xA2, 96, "2", "3", VIEWER_A_EXT));
    }

    private ViewerHandle viewerB(FakeTransport t) {
        return router.addViewer(t, Fixtures.viewer(0xB1, 111, 0xB2, 127, "0", "1", VIEWER_B_EXT));
    }

    private void publish(byte[] packet) { ingress.onRtp(packet, 0, packet.length); }

    private static RtpHeader parse(byte[] packet) {
        RtpHeader h = new RtpHeader();
        assertThat(h.parse(packet, 0, packet.length)).isEqualTo(RtpStatus.OK);
        return h;
    }

    private static List<RtpHeader> withSsrc(FakeTransport t, long ssrc) {
        List<RtpHeader> out = new ArrayList<>();
        for (byte[] p : t.rtp) {
            RtpHeader h = parse(p);
            if (h.ssrc() == ssrc) out.add(h);
        }
        return out;
    }

    /** Every RTCP packet (compounds split) of {@code type} the transport sent. */
    private static List<byte[]> rtcpOfType(FakeTransport t, int type) {
        List<byte[]> out = new ArrayList<>();
        RtcpWalker w = new RtcpWalker();
        for (byte[] c : t.rtcp) {
            assertThat(w.validate(c, 0, c.length)).isEqualTo(RtcpStatus.OK);
            w.reset(c, 0, c.length);
            while (w.next()) {
                if (w.packetType() == type) out.add(Arrays.copyOfRange(c, w.packetOffset(), w.packetOffset() + w.contentLength()));
            }
        }
        return out;
    }

    private static List<RtcpFeedback> plis(FakeTransport t) {
        List<RtcpFeedback> out = new ArrayList<>();
        for (byte[] p : rtcpOfType(t, RtcpTypes.PSFB)) {
            RtcpFeedback fb = new RtcpFeedback();
            assertThat(fb.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
            if (fb.kind() == FeedbackKind.PLI) out.add(fb);
        }
        return out;
    }

    private static void sendRtcp(ViewerHandle v, byte[] rtcp, int len) { v.rtcpInput().onRtcp(rtcp, 0, len); }

    private static byte[] pli(long mediaSsrc) {
        byte[] b = new byte[12];
        RtcpWriter.writePli(b, 0, 0x777, mediaSsrc);
        return b;
    }

    // ------------------------------------------------------------------ forwarding

    @Test
    void publisherRtpReachesTwoViewersWithEachViewersSsrcPayloadTypeAndExtensionIds() {
        FakeTransport a = new FakeTransport();
        FakeTransport b = new FakeTransport();
        viewerA(a);
        viewerB(b);

        publish(audio(10, 960).build());
        publish(video(500, 90_000, IDR).marker(true).build());
        publish(audio(11, 1920).build());

        assertThat(events).contains("first-media chan-1");
        List<RtpHeader> aAudio = withSsrc(a, 0xA1);
        List<RtpHeader> aVideo = withSsrc(a, 0xA2);
        assertThat(aAudio).hasSize(2);
        assertThat(aVideo).hasSize(1);
        assertThat(a.rtp).hasSize(3);
        RtpHeader av = aVideo.get(0);
        assertThat(av.payloadType()).isEqualTo(96);
        assertThat(av.marker()).isTrue();
        assertThat(av.extensionEquals(9, bytes('3'))).as("mid rewritten to the viewer's").isTrue();
        assertThat(av.findExtension(5)).as("transport-cc under the viewer's id").isPositive();
        assertThat(av.findExtension(1)).isEqualTo(-1);
        assertThat(av.findExtension(3)).isEqualTo(-1);
        assertThat(Arrays.copyOfRange(av.buffer(), av.payloadOffset(), av.payloadOffset() + av.payloadLength())).isEqualTo(IDR);
        RtpHeader aa = aAudio.get(0);
        assertThat(aa.payloadType()).isEqualTo(109);
        assertThat(aa.extensionEquals(9, bytes('2'))).isTrue();
        assertThat(aa.buffer()[aa.findExtension(10)]).as("audio level moved to id 10").isEqualTo((byte) 0x90);
        assertThat(aAudio.get(1).sequenceNumber()).isEqualTo((aa.sequenceNumber() + 1) & 0xFFFF);
        assertThat(aAudio.get(1).timestamp() - aa.timestamp()).isEqualTo(960);
        // transport-wide sequence is per viewer transport, across its tracks, in send order
        int tcc0 = BigEndian.u16(a.rtp.get(0), parse(a.rtp.get(0)).findExtension(5));
        assertThat(BigEndian.u16(a.rtp.get(1), parse(a.rtp.get(1)).findExtension(5))).isEqualTo((tcc0 + 1) & 0xFFFF);
        assertThat(BigEndian.u16(a.rtp.get(2), parse(a.rtp.get(2)).findExtension(5))).isEqualTo((tcc0 + 2) & 0xFFFF);

        List<RtpHeader> bVideo = withSsrc(b, 0xB2);
        assertThat(withSsrc(b, 0xB1)).hasSize(2);
        assertThat(bVideo).hasSize(1);
        RtpHeader bv = bVideo.get(0);
        assertThat(bv.payloadType()).isEqualTo(127);
        assertThat(bv.extensionEquals(3, bytes('1'))).isTrue();
        assertThat(bv.findExtension(5)).isEqualTo(-1);
        assertThat(bv.findExtension(1)).isEqualTo(-1);
        assertThat(bv.sequenceNumber()).as("viewers start at their own random sequence numbers")
                .isNotEqualTo(av.sequenceNumber());
    }

    @Test
    void withoutTheGopCacheALateViewerGetsNoVideoUntilAKeyframeButAudioAtOnce() {
        router = new Router("chan-1", Fixtures.publisher(), listener, Fixtures.config().withCatchUpSpeed(0), clock,
                new java.util.SplittableRandom(2026));
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
        publish(video(100, 0, IDR).build());
        publish(video(101, 3000, DELTA).build());
        FakeTransport late = new FakeTransport();
        viewerA(late);
        assertThat(plis(publisher)).as("joining asks for a keyframe").hasSize(1);

        publish(video(102, 6000, DELTA).build());
        publish(audio(1, 960).build());
        publish(video(103, 9000, DELTA).build());
        assertThat(withSsrc(late, 0xA2)).isEmpty();
        assertThat(withSsrc(late, 0xA1)).hasSize(1);
        assertThat(router.dropCount(RouterDrop.NOT_A_KEYFRAME)).isEqualTo(2);
        assertThat(router.stats().viewers().get(0).tracks().get(1).waitingForKeyframe()).isTrue();

        publish(video(104, 12000, IDR).build());
        publish(video(105, 15000, DELTA).build());
        List<RtpHeader> got = withSsrc(late, 0xA2);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).buffer()[got.get(0).payloadOffset()]).isEqualTo(IDR[0]);
        assertThat(got.get(1).sequenceNumber()).isEqualTo((got.get(0).sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void startsAnObsStyleKeyframeAtItsSeparateSpsPacket() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1, 0, bytes(0x67, 0x42, 0xE0, 0x1F)).build()); // SPS
        publish(video(2, 0, bytes(0x68, 0xCE, 0x3C)).build());       // PPS
        publish(video(3, 0, IDR).build());
        assertThat(withSsrc(v, 0xA2)).hasSize(3);
    }

    @Test
    void viewerPliProducesOneThrottledPliToThePublisher() {
        FakeTransport v = new FakeTransport();
        ViewerHandle viewer = viewerA(v);
        publish(video(1, 0, IDR).build());
        clock.advanceMillis(2000);
        router.onTick(clock.nanoTime());
        publisher.clear();
        events.clear();

        for (int i = 0; i < 3; i++) sendRtcp(viewer, pli(0xA2), 12);
        List<RtcpFeedback> sent = plis(publisher);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).senderSsrc()).isEqualTo(router.localSsrc());
        assertThat(sent.get(0).mediaSsrc()).as("addressed to the publisher's SSRC").isEqualTo(VIDEO_SSRC);
        assertThat(events).containsExactly("keyframe 1");
        assertThat(viewer.stats().tracks().get(1).plisReceived()).isEqualTo(3);

        clock.advanceMillis(200);
        router.onTick(clock.nanoTime());
        assertThat(plis(publisher)).as("still inside the interval").hasSize(1);

        clock.advanceMillis(400);
        router.onTick(clock.nanoTime());
        assertThat(plis(publisher)).as("the coalesced request goes once the interval passed").hasSize(2);

        clock.advanceMillis(600);
        router.onTick(clock.nanoTime());
        assertThat(plis(publisher)).as("nothing pending any more").hasSize(2);
    }

    @Test
    void aKeyframeArrivingCancelsAThrottledRequest() {
        ViewerHandle viewer = viewerA(new FakeTransport());
        publish(video(1, 0, IDR).build());
        sendRtcp(viewer, pli(0xA2), 12); // throttled: the join request went out just now
        assertThat(plis(publisher)).hasSize(1);
        publish(video(2, 3000, IDR).build());
        clock.advanceMillis(1000);
        router.onTick(clock.nanoTime());
        assertThat(plis(publisher)).hasSize(1);
    }

    @Test
    void firFromAViewerIsAKeyframeRequestToo() {
        ViewerHandle viewer = viewerA(new FakeTransport());
        publish(video(1, 0, IDR).build());
        clock.advanceMillis(1000);
        publisher.clear();
        byte[] fir = new byte[20];
        RtcpWriter.writeFir(fir, 0, 0x777, 0xA2, 1);
        sendRtcp(viewer, fir, 20);
        assertThat(plis(publisher)).hasSize(1);
        assertThat(viewer.stats().tracks().get(1).firsReceived()).isEqualTo(1);
    }

    @Test
    void sendsFirToAPublisherThatOnlyNegotiatedFir() {
        TrackParameters firOnly = new TrackParameters(MediaKind.VIDEO, "1",
                new live.cascade.sfu.params.Codec(H264_PT, "H264", 90_000, 1, "", List.of("ccm fir"), -1),
                VIDEO_SSRC, 0, Fixtures.PUBLISHER_EXT);
        List<TrackParameters> tracks = List.of(Fixtures.publisher().get(0), firOnly);
        FakeTransport p = new FakeTransport();
        router.attachPublisher(p, tracks);
        viewerA(new FakeTransport());
        List<byte[]> psfb = rtcpOfType(p, RtcpTypes.PSFB);
        assertThat(psfb).hasSize(1);
        RtcpFir fir = new RtcpFir();
        assertThat(fir.parse(psfb.get(0), 0, psfb.get(0).length)).isEqualTo(RtcpStatus.OK);
        assertThat(fir.entrySsrc(0)).isEqualTo(VIDEO_SSRC);
    }

    @Test
    void viewerNackForPacketsNeverSentIsCountedAndIgnored() {
        FakeTransport t = new FakeTransport();
        ViewerHandle viewer = viewerA(t);
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 0x777, 0xA2, new int[] {5, 6, 9}, 3);
        sendRtcp(viewer, nack, n);
        assertThat(viewer.stats().tracks().get(1).nackedPackets()).isEqualTo(3);
        assertThat(router.dropCount(RouterDrop.NACK_UNKNOWN_SEQUENCE)).isEqualTo(3);
        assertThat(t.rtp).isEmpty();
    }

    @Test
    void sinkSeesThePlainPacketExactlyAsPublished() {
        List<byte[]> seen = new ArrayList<>();
        List<MediaKind> kinds = new ArrayList<>();
        PacketSink sink = (kind, buf, off, len) -> {
            kinds.add(kind);
            seen.add(Arrays.copyOfRange(buf, off, off + len));
        };
        router.addSink(sink);
        viewerA(new FakeTransport());
        byte[] v = video(7, 1234, IDR).build();
        byte[] a = audio(8, 960).build();
        byte[] framed = new byte[v.length + 10];
        System.arraycopy(v, 0, framed, 5, v.length);
        ingress.onRtp(framed, 5, v.length);
        publish(a);
        publish(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(1).payload(new byte[0]).padding(100).build()); // probe

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(v);
        assertThat(seen.get(1)).isEqualTo(a);
        assertThat(kinds).containsExactly(MediaKind.VIDEO, MediaKind.AUDIO);

        router.removeSink(sink);
        publish(a);
        assertThat(seen).hasSize(2);
    }

    @Test
    void aThrowingSinkDoesNotStopForwarding() {
        router.addSink((kind, buf, off, len) -> { throw new IllegalStateException("sink bug"); });
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(audio(1, 960).build());
        publish(audio(2, 1920).build());
        assertThat(v.rtp).hasSize(2);
        assertThat(router.dropCount(RouterDrop.SINK_FAILED)).isEqualTo(2);
    }

    // ------------------------------------------------------------------ reports

    @Test
    void withoutAPublisherSrViewersGetNoneForSixSecondsThenSrsExtrapolatedFromTheLastPacket() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1, 90_000, IDR).build());
        publish(video(2, 93_000, DELTA).build());
        publish(audio(1, 48_000).build());
        RtpHeader lastVideo = withSsrc(v, 0xA2).get(1);
        long lastVideoTs = lastVideo.timestamp();

        for (int i = 0; i < 5; i++) {
            clock.advanceMillis(1_100);
            router.onTick(clock.nanoTime());
        }
        assertThat(rtcpOfType(v, RtcpTypes.SR)).as("no guessed SR while the publisher's own may still come").isEmpty();
        clock.advanceMillis(1_100);
        router.onTick(clock.nanoTime());

        List<byte[]> srs = rtcpOfType(v, RtcpTypes.SR);
        assertThat(srs).hasSize(2);
        assertThat(rtcpOfType(v, RtcpTypes.SDES)).hasSize(2);
        RtcpSenderReport sr = new RtcpSenderReport();
        byte[] videoSr = srs.stream().filter(p -> BigEndian.u32(p, 4) == 0xA2).findFirst().orElseThrow();
        assertThat(sr.parse(videoSr, 0, videoSr.length)).isEqualTo(RtcpStatus.OK);
        assertThat(sr.packetCount()).isEqualTo(2);
        assertThat(sr.octetCount()).isEqualTo(IDR.length + DELTA.length);
        assertThat(sr.ntpTimestamp()).isEqualTo(NtpTime.fromEpochNanos(clock.epochNanos()));
        assertThat(sr.rtpTimestamp()).isEqualTo(Timestamps.add(lastVideoTs, 594_000)); // 6.6 s at 90 kHz
        assertThat(sr.reportCount()).isZero();

        v.clear();
        clock.advanceMillis(500);
        router.onTick(clock.nanoTime());
        assertThat(rtcpOfType(v, RtcpTypes.SR)).as("about once per interval").isEmpty();
        clock.advanceMillis(600);
        router.onTick(clock.nanoTime());
        assertThat(rtcpOfType(v, RtcpTypes.SR)).hasSize(2);
    }

    @Test
    void senderReportsFollowThePublishersClockSoAudioAndVideoStayInSync() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1, 900_000, IDR).build());
        publish(audio(1, 480_000).build());
        long videoOffset = withSsrc(v, 0xA2).get(0).timestamp() - 900_000;
        long audioOffset = withSsrc(v, 0xA1).get(0).timestamp() - 480_000;

        // Publisher SRs: its wall clock runs 3 s ahead of ours; video was captured 40 ms later than audio relative to
        // their timestamps (encoder delay), which the SR pairs express and the viewer SRs must keep.
        long pubNtp = NtpTime.fromEpochNanos(clock.epochNanos() + 3_000_000_000L);
        byte[] rtcp = new byte[200];
        int n = RtcpWriter.writeSenderReport(rtcp, 0, VIDEO_SSRC, pubNtp, 900_000 + 3_600, 1, 1, 0);
        n += RtcpWriter.writeSenderReport(rtcp, n, AUDIO_SSRC, pubNtp, 480_000, 1, 1, 0);
        ingress.onRtcp(rtcp, 0, n);

        clock.advanceMillis(1000);
        router.onTick(clock.nanoTime());
        RtcpSenderReport sr = new RtcpSenderReport();
        long videoSrTs = -1;
        long audioSrTs = -1;
        for (byte[] p : rtcpOfType(v, RtcpTypes.SR)) {
            sr.parse(p, 0, p.length);
            if (sr.senderSsrc() == 0xA2) videoSrTs = sr.rtpTimestamp();
            if (sr.senderSsrc() == 0xA1) audioSrTs = sr.rtpTimestamp();
        }
        assertThat(videoSrTs).isEqualTo(Timestamps.add(900_000 + 3_600 + 90_000, videoOffset));
        assertThat(audioSrTs).isEqualTo(Timestamps.add(480_000 + 48_000, audioOffset));
    }

    @Test
    void aTrackGetsNoSrUntilItsPublishersFirstSoTheViewersAudioVideoSyncNeverLearnsAGuess() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1, 900_000, IDR).build());
        publish(audio(1, 480_000).build());
        long audioOffset = withSsrc(v, 0xA1).get(0).timestamp() - 480_000;
        // Chromium reports video every second from the start, audio every 5 s with its first 1.5–3 s in.
        long pubNtp = NtpTime.fromEpochNanos(clock.epochNanos());
        byte[] rtcp = new byte[200];
        int n = RtcpWriter.writeSenderReport(rtcp, 0, VIDEO_SSRC, pubNtp, 900_000, 1, 1, 0);
        ingress.onRtcp(rtcp, 0, n);

        clock.advanceMillis(1_000);
        publish(audio(2, 528_000).build());
        router.onTick(clock.nanoTime());
        assertThat(srSsrcs(v)).as("video's publisher SR came, audio's not yet").containsExactly(0xA2L);

        // The publisher says the packet just sent was captured 40 ms ago (a 20 ms frame, encoding, the path): a guess
        // from its send time would put audio 40 ms late against video.
        n = RtcpWriter.writeSenderReport(rtcp, 0, AUDIO_SSRC, NtpTime.fromEpochNanos(clock.epochNanos()), 528_000 + 1_920, 2, 2, 0);
        ingress.onRtcp(rtcp, 0, n);
        v.clear();
        clock.advanceMillis(1_100);
        router.onTick(clock.nanoTime());
        RtcpSenderReport sr = new RtcpSenderReport();
        byte[] audioSr = rtcpOfType(v, RtcpTypes.SR).stream().filter(p -> BigEndian.u32(p, 4) == 0xA1).findFirst().orElseThrow();
        sr.parse(audioSr, 0, audioSr.length);
        assertThat(sr.rtpTimestamp()).as("from the publisher's own relation").isEqualTo(Timestamps.add(528_000 + 1_920 + 52_800, audioOffset));
    }

    private static List<Long> srSsrcs(FakeTransport t) {
        List<Long> out = new ArrayList<>();
        for (byte[] p : rtcpOfType(t, RtcpTypes.SR)) out.add(BigEndian.u32(p, 4));
        return out;
    }

    @Test
    void ignoresAnImplausibleSenderReportTimestampLikeObsFirstOne() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1, 900_000, IDR).build());
        long lastTs = withSsrc(v, 0xA2).get(0).timestamp();
        byte[] rtcp = new byte[64];
        int n = RtcpWriter.writeSenderReport(rtcp, 0, VIDEO_SSRC, NtpTime.fromEpochNanos(clock.epochNanos()), 0xFFFF_FFFFL, 0, 0, 0);
        ingress.onRtcp(rtcp, 0, n);
        clock.advanceMillis(100);
        router.onTick(clock.nanoTime());
        assertThat(rtcpOfType(v, RtcpTypes.SR)).as("not taken as the publisher's relation; a later SR may be plausible").isEmpty();
        clock.advanceMillis(6_000);
        router.onTick(clock.nanoTime());
        byte[] p = rtcpOfType(v, RtcpTypes.SR).stream().filter(x -> BigEndian.u32(x, 4) == 0xA2).findFirst().orElseThrow();
        RtcpSenderReport sr = new RtcpSenderReport();
        sr.parse(p, 0, p.length);
        assertThat(sr.rtpTimestamp()).as("none came: extrapolated from the last packet").isEqualTo(Timestamps.add(lastTs, 549_000));
    }

    @Test
    void receiverReportToThePublisherCarriesLossJitterAndLsr() {
        for (int i = 0; i < 10; i++) {
            if (i != 4) publish(audio(100 + i, 960L * i).build());
            clock.advanceMillis(20);
        }
        long srNtp = NtpTime.fromEpochNanos(clock.epochNanos());
        byte[] rtcp = new byte[64];
        int n = RtcpWriter.writeSenderReport(rtcp, 0, AUDIO_SSRC, srNtp, 9600, 9, 27, 0);
        ingress.onRtcp(rtcp, 0, n);
        clock.advanceMillis(250);
        router.onTick(clock.nanoTime());

        List<byte[]> rrs = rtcpOfType(publisher, RtcpTypes.RR);
        assertThat(rrs).hasSize(1);
        assertThat(rtcpOfType(publisher, RtcpTypes.SDES)).hasSize(1);
        RtcpReceiverReport rr = new RtcpReceiverReport();
        assertThat(rr.parse(rrs.get(0), 0, rrs.get(0).length)).isEqualTo(RtcpStatus.OK);
        assertThat(rr.senderSsrc()).isEqualTo(router.localSsrc());
        assertThat(rr.reportCount()).as("only SSRCs that sent media").isEqualTo(1);
        ReportBlock b = rr.reportBlock(0);
        assertThat(b.ssrc()).isEqualTo(AUDIO_SSRC);
        assertThat(b.cumulativeLost()).isEqualTo(1);
        assertThat(b.fractionLost()).isEqualTo(256 / 10);
        assertThat(b.extendedHighestSequence()).isEqualTo(109);
        assertThat(b.jitter()).isZero(); // perfectly paced
        assertThat(b.lastSr()).isEqualTo(NtpTime.middle32(srNtp));
        assertThat(b.delaySinceLastSr()).isEqualTo(NtpTime.nanosToCompact(250 * MS));
    }

    @Test
    void viewerReceiverReportsFeedRoundTripAndLossStats() {
        FakeTransport v = new FakeTransport();
        ViewerHandle viewer = viewerA(v);
        publish(audio(1, 960).build());
        byte[] publisherSr = new byte[64];
        ingress.onRtcp(publisherSr, 0, RtcpWriter.writeSenderReport(publisherSr, 0, AUDIO_SSRC,
                NtpTime.fromEpochNanos(clock.epochNanos()), 960, 1, 3, 0));
        router.onTick(clock.nanoTime());
        byte[] srPacket = rtcpOfType(v, RtcpTypes.SR).get(0);
        RtcpSenderReport sr = new RtcpSenderReport();
        sr.parse(srPacket, 0, srPacket.length);

        clock.advanceMillis(80); // 30 ms each way + 20 ms held at the viewer
        byte[] rr = new byte[64];
        int n = RtcpWriter.writeReceiverReport(rr, 0, 0x777, List.of(new ReportBlock(0xA1, 12, 3, 77, 40,
                NtpTime.middle32(sr.ntpTimestamp()), NtpTime.nanosToCompact(20 * MS))));
        sendRtcp(viewer, rr, n);

        ViewerTrackStats s = viewer.stats().tracks().get(0);
        assertThat(s.fractionLost()).isEqualTo(12);
        assertThat(s.cumulativeLost()).isEqualTo(3);
        assertThat(s.jitter()).isEqualTo(40);
        assertThat(s.roundTripNanos()).isBetween(59 * MS, 61 * MS);
    }

    // ------------------------------------------------------------------ publisher lifecycle

    @Test
    void reconnectWithTheSameCodecsKeepsViewersSequenceContinuous() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(video(1000, 500_000, IDR).build());
        publish(video(1001, 503_000, DELTA).build());
        publish(audio(50, 9600).build());
        List<RtpHeader> before = withSsrc(v, 0xA2);
        int lastSeq = before.get(1).sequenceNumber();
        long lastTs = before.get(1).timestamp();
        int lastAudioSeq = withSsrc(v, 0xA1).get(0).sequenceNumber();
        long lastAudioTs = withSsrc(v, 0xA1).get(0).timestamp();
        MediaReceiver oldIngress = ingress;

        router.detachPublisher();
        assertThat(router.hasPublisher()).isFalse();
        clock.advanceMillis(3000);

        // New publisher: new SSRCs, payload types and extension ids, same formats.
        HeaderExtensions ext2 = new HeaderExtensions(7, 0, 8, 0, 0, 0);
        List<TrackParameters> again = List.of(
                new TrackParameters(MediaKind.VIDEO, "v", Fixtures.h264(98, 99), 0x9000, 0, ext2),
                new TrackParameters(MediaKind.AUDIO, "a", Fixtures.opus(100), 0x9100, 0, ext2));
        assertThat(router.canContinueWith(again)).isTrue();
        FakeTransport publisher2 = new FakeTransport();
        MediaReceiver ingress2 = router.attachPublisher(publisher2, again);

        byte[] stale = video(1002, 506_000, DELTA).build();
        oldIngress.onRtp(stale, 0, stale.length);
        assertThat(router.dropCount(RouterDrop.STALE_PUBLISHER)).isEqualTo(1);

        byte[] delta = rtp().ssrc(0x9000).pt(98).seq(7).ts(42).payload(DELTA).ext1(7, bytes('v')).build();
        ingress2.onRtp(delta, 0, delta.length);
        assertThat(withSsrc(v, 0xA2)).as("video waits for the new stream's keyframe").hasSize(2);

        byte[] key = rtp().ssrc(0x9000).pt(98).seq(8).ts(3042).payload(IDR).ext1(7, bytes('v')).ext1(8, bytes(0, 1)).build();
        ingress2.onRtp(key, 0, key.length);
        byte[] next = rtp().ssrc(0x9000).pt(98).seq(9).ts(6042).payload(DELTA).build();
        ingress2.onRtp(next, 0, next.length);
        byte[] sound = rtp().ssrc(0x9100).pt(100).seq(60000).ts(1).payload(Fixtures.OPUS).build();
        ingress2.onRtp(sound, 0, sound.length);

        List<RtpHeader> after = withSsrc(v, 0xA2);
        assertThat(after).hasSize(4);
        assertThat(after.get(2).sequenceNumber()).isEqualTo((lastSeq + 1) & 0xFFFF);
        assertThat(after.get(2).timestamp()).isEqualTo(Timestamps.add(lastTs, 270_000)); // 3 s at 90 kHz
        assertThat(after.get(2).payloadType()).isEqualTo(96);
        assertThat(after.get(2).extensionEquals(9, bytes('3'))).as("new publisher ids are understood").isTrue();
        assertThat(after.get(2).findExtension(5)).isPositive();
        assertThat(after.get(3).sequenceNumber()).isEqualTo((lastSeq + 2) & 0xFFFF);
        assertThat(after.get(3).timestamp()).isEqualTo(Timestamps.add(lastTs, 273_000));
        List<RtpHeader> audioAfter = withSsrc(v, 0xA1);
        assertThat(audioAfter).hasSize(2);
        assertThat(audioAfter.get(1).sequenceNumber()).isEqualTo((lastAudioSeq + 1) & 0xFFFF);
        assertThat(audioAfter.get(1).timestamp()).isEqualTo(Timestamps.add(lastAudioTs, 144_000));
        assertThat(events.stream().filter(e -> e.startsWith("first-media")).count()).isEqualTo(2);
    }

    @Test
    void refusesAPublisherWithOtherFormats() {
        List<TrackParameters> vp8 = List.of(
                Fixtures.publisher().get(0),
                new TrackParameters(MediaKind.VIDEO, "1", Fixtures.vp8(96), 5, 0, Fixtures.PUBLISHER_EXT));
        assertThat(router.canContinueWith(vp8)).isFalse();
        assertThat(router.canContinueWith(Fixtures.publisher().subList(0, 1))).isFalse();
        assertThatThrownBy(() -> router.attachPublisher(new FakeTransport(), vp8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAViewerWhoseCodecIsNotThePublications() {
        List<TrackParameters> vp8Viewer = List.of(
                new TrackParameters(MediaKind.VIDEO, "0", Fixtures.vp8(96), 0xC1, 0, HeaderExtensions.NONE));
        assertThatThrownBy(() -> router.addViewer(new FakeTransport(), vp8Viewer)).isInstanceOf(IllegalArgumentException.class);
        assertThat(router.viewerCount()).isZero();
    }

    @Test
    void learnsSsrcsFromTheMidExtensionAndRecognisesRtxByPayloadType() {
        Router r = new Router("c", Fixtures.publisher(0, 0, 0), RouterListener.NONE, Fixtures.config(), clock,
                new java.util.SplittableRandom(1));
        MediaReceiver in = r.attachPublisher(new FakeTransport(), Fixtures.publisher(0, 0, 0));
        FakeTransport v = new FakeTransport();
        r.addViewer(v, Fixtures.viewer(0xA1, 109, 0xA2, 96, "0", "1", VIEWER_A_EXT));

        byte[] first = rtp().ssrc(0x4444).pt(H264_PT).seq(1).payload(IDR).ext1(1, bytes('1')).build();
        in.onRtp(first, 0, first.length);
        byte[] plain = rtp().ssrc(0x4444).pt(H264_PT).seq(2).payload(DELTA).build(); // no mid any more
        in.onRtp(plain, 0, plain.length);
        byte[] rtx = rtp().ssrc(0x4445).pt(H264_RTX_PT).seq(1).payload(0, 1).ext1(1, bytes('1')).build();
        in.onRtp(rtx, 0, rtx.length);
        byte[] rtx2 = rtp().ssrc(0x4445).pt(H264_RTX_PT).seq(2).payload(0, 2).build();
        in.onRtp(rtx2, 0, rtx2.length);
        byte[] audioByPt = rtp().ssrc(0x5555).pt(Fixtures.OPUS_PT).seq(1).payload(Fixtures.OPUS).build();
        in.onRtp(audioByPt, 0, audioByPt.length);
        byte[] stranger = rtp().ssrc(0x6666).pt(H264_PT).seq(1).payload(DELTA).build();
        in.onRtp(stranger, 0, stranger.length);

        assertThat(withSsrc(v, 0xA2)).hasSize(2);
        assertThat(withSsrc(v, 0xA1)).hasSize(1);
        RouterStats s = r.stats();
        assertThat(s.tracks().get(1).ssrc()).isEqualTo(0x4444);
        assertThat(s.tracks().get(0).ssrc()).isEqualTo(0x5555);
        assertThat(s.tracks().get(1).rtxPackets()).isEqualTo(2);
        assertThat(s.drops(RouterDrop.DUPLICATE_PACKET)).as("the RTX packets repeat 1 and 2").isEqualTo(2);
        assertThat(s.drops(RouterDrop.UNKNOWN_SSRC)).isEqualTo(1);
    }

    @Test
    void countsMalformedAndUnexpectedInputByReason() {
        FakeTransport v = new FakeTransport();
        ViewerHandle viewer = viewerA(v);
        publish(new byte[] {(byte) 0x80, 1, 2});
        byte[] wrongPt = video(1, 0, IDR).pt(50).build();
        publish(wrongPt);
        byte[] huge = video(2, 0, new byte[1600]).build();
        publish(huge);
        ingress.onRtcp(new byte[] {(byte) 0x80, (byte) 200, 0, 40}, 0, 4);
        sendRtcp(viewer, new byte[] {1, 2, 3, 4, 5}, 5);
        viewer.rtcpInput().onRtp(new byte[12], 0, 12);
        byte[] rtxOnMediaSsrc = video(3, 0, IDR).pt(H264_RTX_PT).build();
        publish(rtxOnMediaSsrc);

        RouterStats s = router.stats();
        assertThat(s.drops(RouterDrop.MALFORMED_RTP)).isEqualTo(1);
        assertThat(s.drops(RouterDrop.UNKNOWN_PAYLOAD_TYPE)).as("wrong PT, and RTX on the media SSRC").isEqualTo(2);
        assertThat(s.drops(RouterDrop.PACKET_TOO_LARGE)).isEqualTo(1);
        assertThat(s.drops(RouterDrop.MALFORMED_RTCP)).isEqualTo(2);
        assertThat(s.drops(RouterDrop.VIEWER_RTP)).isEqualTo(1);
        assertThat(v.rtp).isEmpty();
    }

    @Test
    void trackStatsCountPacketsBytesAndLastSeen() {
        byte[] p1 = audio(1, 960).build();
        byte[] p2 = video(1, 0, IDR).build();
        publish(p1);
        clock.advanceMillis(5);
        publish(p2);
        RouterStats s = router.stats();
        assertThat(s.channelId()).isEqualTo("chan-1");
        assertThat(s.publisherAttached()).isTrue();
        TrackStats a = s.tracks().get(0);
        assertThat(a.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(a.packets()).isEqualTo(1);
        assertThat(a.bytes()).isEqualTo(p1.length);
        assertThat(a.lastSeenNanos()).isEqualTo(ManualClock.START_NANOS);
        TrackStats vid = s.tracks().get(1);
        assertThat(vid.keyframes()).isEqualTo(1);
        assertThat(vid.lastSeenNanos()).isEqualTo(ManualClock.START_NANOS + 5 * MS);
    }

    @Test
    void aClosedViewerGetsNothingMore() {
        FakeTransport v = new FakeTransport();
        ViewerHandle viewer = viewerA(v);
        publish(audio(1, 960).build());
        viewer.close();
        viewer.close();
        publish(audio(2, 1920).build());
        router.onTick(clock.nanoTime() + 5_000 * MS);
        assertThat(v.rtp).hasSize(1);
        assertThat(rtcpOfType(v, RtcpTypes.SR)).isEmpty();
        assertThat(router.viewerCount()).isZero();
        assertThat(viewer.isClosed()).isTrue();
    }

    @Test
    void viewersStayAttachedWhileThePublisherIsAway() {
        FakeTransport v = new FakeTransport();
        viewerA(v);
        publish(audio(1, 960).build());
        router.detachPublisher();
        publish(audio(2, 1920).build());
        assertThat(v.rtp).hasSize(1);
        assertThat(router.dropCount(RouterDrop.STALE_PUBLISHER)).isEqualTo(1);
        assertThat(router.viewerCount()).isEqualTo(1);
        router.onTick(clock.nanoTime() + 2_000 * MS);
        assertThat(rtcpOfType(publisher, RtcpTypes.RR)).isEmpty();
    }

    @Test
    void closeStopsEverything() {
        FakeTransport v = new FakeTransport();
        ViewerHandle viewer = viewerA(v);
        router.close();
        publish(audio(1, 960).build());
        assertThat(v.rtp).isEmpty();
        assertThat(viewer.isClosed()).isTrue();
        assertThatThrownBy(() -> router.addSink((k, b, o, l) -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomInputOnEitherSideNeverThrows() {
        ViewerHandle viewer = viewerA(new FakeTransport());
        viewerB(new FakeTransport());
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        byte[][] valid = {video(1, 0, IDR).build(), audio(1, 0).build(), pli(0xA2)};
        try {
            for (int i = 0; i < 20_000; i++) {
                byte[] b;
                if (r.nextBoolean()) {
                    b = valid[r.nextInt(valid.length)].clone();
                    for (int k = 0; k < 3; k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    b = Arrays.copyOf(b, r.nextInt(b.length + 4));
                } else {
                    b = new byte[r.nextInt(80)];
                    for (int k = 0; k < b.length; k++) b[k] = (byte) r.nextInt(256);
                    if (b.length > 0) b[0] = (byte) (0x80 | b[0] & 0x3F);
                }
                switch (r.nextInt(3)) {
                    case 0 -> ingress.onRtp(b, 0, b.length);
                    case 1 -> ingress.onRtcp(b, 0, b.length);
                    default -> viewer.rtcpInput().onRtcp(b, 0, b.length);
                }
                if (i % 500 == 0) {
                    clock.advanceMillis(100);
                    router.onTick(clock.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + "L", e);
        }
    }
}
