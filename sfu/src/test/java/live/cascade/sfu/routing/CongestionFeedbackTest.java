package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.AUDIO_SSRC;
import static live.cascade.sfu.routing.Fixtures.H264_PT;
import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.OPUS_PT;
import static live.cascade.sfu.routing.Fixtures.VIDEO_SSRC;
import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.FeedbackKind;
import live.cascade.sfu.rtcp.RtcpFeedback;
import live.cascade.sfu.rtcp.RtcpRemb;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/** Transport-cc or REMB to the publisher, transport-wide numbers and feedback of viewers, keyframe throttling. */
class CongestionFeedbackTest {
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);

    private final ManualClock clock = new ManualClock();

    private static byte[] video(int seq, long ts, int transportSeq, byte[] payload) {
        return rtp().ssrc(VIDEO_SSRC).pt(H264_PT).seq(seq).ts(ts).payload(payload)
                .ext1(3, bytes(transportSeq >> 8, transportSeq)).build();
    }

    private static byte[] audio(int seq, long ts, int transportSeq) {
        return rtp().ssrc(AUDIO_SSRC).pt(OPUS_PT).seq(seq).ts(ts).payload(Fixtures.OPUS)
                .ext1(3, bytes(transportSeq >> 8, transportSeq)).build();
    }

    private static void send(MediaReceiver in, byte[] p) { in.onRtp(p, 0, p.length); }

    @Test
    void publisherGetsTransportCcFeedbackCoveringAudioAndVideoOfTheTransport() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        int tseq = 65_530;
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clock.advanceMillis(4);
            if (i == 5) { // lost on the way
                tseq++;
                arrivals.add(null);
                continue;
            }
            send(in, i % 3 == 2 ? audio(100 + i, 960L * i, tseq) : video(200 + i, 3000L * i, tseq, i == 0 ? IDR : Fixtures.DELTA));
            arrivals.add(clock.nanoTime());
            tseq++;
        }
        clock.advanceMillis(60);
        router.onTick(clock.nanoTime());

        List<byte[]> feedback = rtcp(publisher, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC);
        assertThat(feedback).isNotEmpty();
        RtcpTransportCc tcc = new RtcpTransportCc();
        int reported = 0;
        int lost = 0;
        for (byte[] p : feedback) {
            assertThat(tcc.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
            assertThat(tcc.senderSsrc()).isEqualTo(router.localSsrc());
            assertThat(tcc.mediaSsrc()).isEqualTo(VIDEO_SSRC);
            assertThat(tcc.decode(null, null)).isEqualTo(RtcpStatus.OK);
            if (reported == 0) assertThat(tcc.baseSequenceNumber()).isEqualTo(65_530);
            reported += tcc.packetStatusCount();
            lost += tcc.lostCount();
        }
        assertThat(reported).as("wrapping 65535 -> 0").isEqualTo(12);
        assertThat(lost).isEqualTo(1);
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_AFB)).as("no REMB with transport-cc").isEmpty();
        IngestStats s = router.ingestStats();
        assertThat(s.congestionFeedback()).isEqualTo("transport-cc");
        assertThat(s.transportCcFeedbacks()).isEqualTo(feedback.size());
    }

    @Test
    void transportCcFeedbackGoesOutFromThePacketPathEveryIntervalWithoutTicks() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        for (int i = 0; i < 100; i++) { // one second at 10 ms
            clock.advanceMillis(10);
            send(in, video(1 + i, 3000L * i, i, i == 0 ? IDR : Fixtures.DELTA));
        }
        int feedbacks = rtcp(publisher, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC).size();
        assertThat(feedbacks).as("every 50 ms").isBetween(18, 21);
    }

    @Test
    void ingestStatsGiveTheRateTheTransportCcFeedbackAcknowledged() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        byte[] payload = new byte[1000];
        payload[0] = 0x41;
        assertThat(router.ingestStats().feedback().acknowledgedBitrate()).as("before the first window").isEqualTo(-1);
        int length = 0;
        for (int i = 0; i < 250; i++) { // 2.5 s, a packet every 10 ms, a tick every 50 ms
            clock.advanceMillis(10);
            byte[] p = video(1 + i, 900L * i, i, i == 0 ? IDR : payload);
            length = p.length;
            send(in, p);
            if (i % 5 == 4) router.onTick(clock.nanoTime());
        }
        long wire = (long) length * 8 * 100;
        assertThat(router.ingestStats().feedback().acknowledgedBitrate()).isBetween(wire * 95 / 100, wire * 105 / 100);
    }

    /**
     * A starved encoder (one 36 KB frame a second) beside 50 audio packets a second, with late ticks: the acknowledged
     * rate and the tracks' own bitrates cover the same window, so the acknowledged one is never below the tracks'
     * sum. Issue 16: a window opened when the publisher was bound (a tick before the tracks') closed on a different
     * tick once a tick came late, and held the audio alone while the tracks' window held the frame (31 against 318
     * kbit/s in a CI run).
     */
    @Test
    void acknowledgedRateCoversTheSameWindowAsTheTracksWhenFramesAreFewAndTicksLate() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        byte[] payload = new byte[1200];
        payload[0] = 0x41;
        long[] tickAt = {40, 95, 160, 300, 330, 500, 560, 700, 760, 900, 960, 1010}; // ms; then every 50 ms, one late
        int tseq = 0;
        int videoSeq = 1;
        int audioSeq = 1;
        int nextTick = 0;
        int compared = 0;
        for (int ms = 1; ms <= 6_000; ms++) {
            clock.advanceMillis(1);
            if (ms % 20 == 0) send(in, audio(audioSeq++, 960L * audioSeq, tseq++));
            if (ms % 1000 >= 30 && ms % 1000 < 60) { // a 30-packet frame over 30 ms, just after the second turns
                send(in, video(videoSeq, 90L * (ms - ms % 1000), tseq++, videoSeq == 1 ? IDR : payload));
                videoSeq++;
            }
            boolean tick = nextTick < tickAt.length ? ms == tickAt[nextTick] : (ms - 1010) % 50 == 0 || ms == 3_033;
            if (!tick) continue;
            if (nextTick < tickAt.length) nextTick++;
            router.onTick(clock.nanoTime());
            IngestStats s = router.ingestStats();
            long tracks = s.tracks().stream().mapToLong(t -> Math.max(0, t.bitrate())).sum();
            long acknowledged = s.feedback().acknowledgedBitrate();
            if (acknowledged < 0 || s.tracks().stream().anyMatch(t -> t.bitrate() < 0)) continue;
            compared++;
            assertThat(acknowledged).as("at %d ms: acknowledged against the tracks' %d bit/s", ms, tracks)
                    .isBetween(tracks, tracks + tracks / 50);
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void publisherWithOnlyGoogRembGetsRembAtAboutTheIncomingRateWithHeadroom() {
        Codec h264 = new Codec(H264_PT, "H264", 90_000, 1, "", List.of("nack", "nack pli", "goog-remb"), -1);
        Codec opus = new Codec(OPUS_PT, "opus", 48_000, 2, "", List.of(), -1);
        HeaderExtensions ext = new HeaderExtensions(1, 2, 0, 0, 0, 0); // abs-send-time, no transport-cc
        List<TrackParameters> tracks = List.of(
                new TrackParameters(MediaKind.AUDIO, "0", opus, AUDIO_SSRC, 0, ext),
                new TrackParameters(MediaKind.VIDEO, "1", h264, VIDEO_SSRC, 0, ext));
        Router router = new Router("remb", tracks, RouterListener.NONE, Fixtures.config(), clock,
                new java.util.SplittableRandom(4));
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, tracks);
        byte[] payload = new byte[1000];
        payload[0] = 0x41;
        for (int i = 0; i < 300; i++) { // 3 s of 1000-byte packets every 10 ms: ~830 kbit/s on the wire
            clock.advanceMillis(10);
            byte[] p = rtp().ssrc(VIDEO_SSRC).pt(H264_PT).seq(i).ts(900L * i).payload(payload).build();
            send(in, p);
            if (i % 5 == 4) router.onTick(clock.nanoTime());
        }
        List<byte[]> rembs = rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_AFB);
        assertThat(rembs).isNotEmpty();
        assertThat(rtcp(publisher, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC)).isEmpty();
        byte[] last = rembs.get(rembs.size() - 1);
        RtcpRemb remb = new RtcpRemb();
        assertThat(remb.parse(last, 0, last.length)).isEqualTo(RtcpStatus.OK);
        long wire = (1000 + 12) * 8 * 100L;
        assertThat(remb.bitrate()).isBetween(wire * 14 / 10, wire * 16 / 10);
        assertThat(remb.ssrcCount()).isEqualTo(2);
        assertThat(router.ingestStats().congestionFeedback()).isEqualTo("remb");
        long estimate = router.ingestStats().rembBitrate();
        assertThat(remb.bitrate()).as("the wire value rounds the estimate down").isBetween(estimate - estimate / (1 << 17), estimate);
    }

    @Test
    void eachViewerGetsItsOwnContinuousTransportWideSequenceIncludingRetransmissions() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        MediaReceiver in = router.attachPublisher(new FakeTransport(), Fixtures.publisher());
        FakeTransport a = new FakeTransport();
        FakeTransport b = new FakeTransport();
        ViewerHandle va = router.addViewer(a, Fixtures.viewer(0xA1, 109, 0xA2, 96, "0", "1", VIEWER_EXT));
        router.addViewer(b, Fixtures.viewer(0xB1, 109, 0xB2, 96, "0", "1", VIEWER_EXT));
        for (int i = 0; i < 6; i++) {
            send(in, i % 2 == 0 ? video(10 + i, 3000L * i, 7, i == 0 ? IDR : Fixtures.DELTA) : audio(20 + i, 960L * i, 7));
        }
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 0x777, 0xA2, new int[] {withSsrc(a, 0xA2).get(1).sequenceNumber()}, 1);
        va.rtcpInput().onRtcp(nack, 0, n);
        send(in, video(16, 18_000, 8, Fixtures.DELTA));

        for (FakeTransport t : List.of(a, b)) {
            int first = -1;
            for (int i = 0; i < t.rtp.size(); i++) {
                RtpHeader h = Sent.parse(t.rtp.get(i));
                int tseq = Sent.transportSequence(h, 5);
                if (first < 0) first = tseq;
                assertThat(tseq).isEqualTo((first + i) & 0xFFFF);
            }
        }
        assertThat(a.rtp).hasSize(8);
        assertThat(b.rtp).hasSize(7);
    }

    @Test
    void viewersTransportCcFeedbackIsParsedAndCounted() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        router.attachPublisher(new FakeTransport(), Fixtures.publisher());
        ViewerHandle v = router.addViewer(new FakeTransport(), Fixtures.viewer(0xA1, 109, 0xA2, 96, "0", "1", VIEWER_EXT));
        TransportCcFeedback viewerSide = new TransportCcFeedback();
        for (int i = 0; i < 40; i++) if (i % 10 != 9) viewerSide.onPacket(1000 + i, clock.nanoTime() + i * 1_000_000L);
        byte[] buf = new byte[1500];
        int n = viewerSide.write(buf, 0, 0x777, 0xA2);
        v.rtcpInput().onRtcp(buf, 0, n);

        byte[] broken = Arrays.copyOf(buf, n);
        broken[0] &= ~0x20; // no padding
        broken[2] = 0;
        broken[3] = 4; // claims 20 bytes: the chunks' deltas no longer fit
        v.rtcpInput().onRtcp(broken, 0, 20);

        ViewerStats s = v.stats();
        assertThat(s.transportCcFeedbacks()).isEqualTo(1);
        assertThat(s.transportCcPacketsLost()).isEqualTo(3);
        assertThat(router.dropCount(RouterDrop.MALFORMED_RTCP)).isEqualTo(1);
    }

    @Test
    void manyViewersPlisBecomeOneKeyframeRequestPerIntervalForTheChannel() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        List<ViewerHandle> viewers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            viewers.add(router.addViewer(new FakeTransport(),
                    Fixtures.viewer(0x100 + i, 109, 0x200 + i, 96, "0", "1", VIEWER_EXT)));
        }
        send(in, video(1, 0, 1, IDR));
        clock.advanceMillis(1000);
        router.onTick(clock.nanoTime());
        publisher.clear();
        for (int round = 0; round < 4; round++) { // 4 rounds 100 ms apart, every viewer asks each time
            for (int i = 0; i < viewers.size(); i++) {
                byte[] pli = new byte[12];
                RtcpWriter.writePli(pli, 0, 0x777, 0x200 + i);
                viewers.get(i).rtcpInput().onRtcp(pli, 0, 12);
            }
            clock.advanceMillis(100);
            router.onTick(clock.nanoTime());
        }
        List<byte[]> plis = rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI);
        assertThat(plis).as("one now; the rest coalesce into one after the 500 ms interval").hasSize(1);
        clock.advanceMillis(200);
        router.onTick(clock.nanoTime());
        plis = rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI);
        assertThat(plis).hasSize(2);
        RtcpFeedback fb = new RtcpFeedback();
        fb.parse(plis.get(0), 0, plis.get(0).length);
        assertThat(fb.kind()).isEqualTo(FeedbackKind.PLI);
        assertThat(fb.mediaSsrc()).isEqualTo(VIDEO_SSRC);
    }
}
