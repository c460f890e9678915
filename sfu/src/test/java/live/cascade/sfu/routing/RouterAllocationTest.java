package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.DELTA;
import static live.cascade.sfu.routing.Fixtures.IDR;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.ReportBlock;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * The steady-state packet path allocates nothing: measured with the JVM's per-thread allocation counter around
 * 100,000 publisher packets fanned out to three viewers (plus their feedback and the periodic reports).
 * A behavioural bound, not a timing one.
 */
class RouterAllocationTest {
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 100_000;
    private static final int VIEWERS = 3;

    @Test
    void forwardingToThreeViewersAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported()).as("per-thread allocation accounting is needed to measure allocation").isTrue();
        mx.setThreadAllocatedMemoryEnabled(true);

        ManualClock clock = new ManualClock();
        Router router = new Router("alloc", Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock,
                new SplittableRandom(5));
        FakeTransport publisher = new FakeTransport(false);
        MediaReceiver ingress = router.attachPublisher(publisher, Fixtures.publisher());
        FakeTransport[] viewers = new FakeTransport[VIEWERS];
        ViewerHandle[] handles = new ViewerHandle[VIEWERS];
        for (int i = 0; i < VIEWERS; i++) {
            viewers[i] = new FakeTransport(false);
            handles[i] = router.addViewer(viewers[i], Fixtures.viewer(0xA1 + 16 * i, 109, 0xA2 + 16 * i, 96,
                    "0", "1", new HeaderExtensions(1, 2, 3, 4, 0, 0)));
        }
        router.addSink((kind, buf, off, len) -> { });

        byte[] video = Fixtures.video(0, 0, new byte[1100]).build();
        byte[] key = Fixtures.video(0, 0, IDR).build();
        byte[] delta = Fixtures.video(0, 0, DELTA).build();
        System.arraycopy(IDR, 0, video, video.length - 1100, IDR.length);
        byte[] audio = Fixtures.audio(0, 0).build();
        byte[] feedback = new byte[128];
        int feedbackLength = RtcpWriter.writeReceiverReport(feedback, 0, 0x777, 1);
        feedbackLength += RtcpWriter.writeReportBlock(feedback, feedbackLength, new ReportBlock(0xA2, 0, 0, 0, 0, 0, 0));
        feedbackLength += RtcpWriter.writePli(feedback, feedbackLength, 0x777, 0xA2);

        Driver d = new Driver(ingress, clock, router, video, key, delta, audio, feedback, feedbackLength, handles);
        d.run(WARM_UP);

        long sentBefore = 0;
        for (FakeTransport v : viewers) sentBefore += v.rtpCount;
        long before = mx.getCurrentThreadAllocatedBytes();
        d.run(MEASURED);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        long sent = -sentBefore;
        for (FakeTransport v : viewers) sent += v.rtpCount;

        double perPacket = (double) allocated / MEASURED;
        System.out.printf("allocation: %d bytes for %d publisher packets (%d viewer sends): %.4f bytes/packet%n",
                allocated, MEASURED, sent, perPacket);
        assertThat(sent).as("every packet reached every viewer").isEqualTo((long) MEASURED * VIEWERS);
        assertThat(publisher.rtcpCount).as("reports and keyframe requests went out").isPositive();
        // A few hundred bytes of slack for the measurement itself; a single allocation per packet would be ≥ 1.6 MB.
        assertThat(allocated).isLessThan(16 * 1024);
    }

    /** Feeds a steady mix: 1 audio packet per 3 video packets, a keyframe every 300, viewer feedback, ticks. */
    private static final class Driver {
        private final MediaReceiver ingress;
        private final ManualClock clock;
        private final Router router;
        private final byte[] video;
        private final byte[] key;
        private final byte[] delta;
        private final byte[] audio;
        private final byte[] feedback;
        private final int feedbackLength;
        private final ViewerHandle[] viewers;
        private int videoSeq = 60_000;
        private int audioSeq = 1;
        private long n;

        Driver(MediaReceiver ingress, ManualClock clock, Router router, byte[] video, byte[] key, byte[] delta,
               byte[] audio, byte[] feedback, int feedbackLength, ViewerHandle[] viewers) {
            this.ingress = ingress;
            this.clock = clock;
            this.router = router;
            this.video = video;
            this.key = key;
            this.delta = delta;
            this.audio = audio;
            this.feedback = feedback;
            this.feedbackLength = feedbackLength;
            this.viewers = viewers;
        }

        void run(int packets) {
            for (int i = 0; i < packets; i++, n++) {
                clock.advanceNanos(1_000_000L);
                if (n % 4 == 3) {
                    send(audio, audioSeq++, 960L * audioSeq);
                } else {
                    byte[] p = n % 300 == 0 ? key : n % 4 == 1 ? delta : video;
                    send(p, videoSeq++, 3000L * (n / 4));
                }
                if (n % 1000 == 0) {
                    viewers[(int) (n / 1000 % viewers.length)].rtcpInput().onRtcp(feedback, 0, feedbackLength);
                }
                if (n % 50 == 0) router.onTick(clock.nanoTime());
            }
        }

        private void send(byte[] p, int seq, long ts) {
            BigEndian.put16(p, 2, seq & 0xFFFF);
            BigEndian.put32(p, 4, ts & 0xFFFF_FFFFL);
            ingress.onRtp(p, 0, p.length);
        }
    }

    // ------------------------------------------------------------------ loss recovery, feedback, catch-up

    @Test
    void lossRecoveryCongestionFeedbackAndCatchUpAllocateNothingPerPacket() {
        measureRecoveryPaths(Fixtures.publisher(), "transport-cc");
    }

    @Test
    void rembFeedbackAllocatesNothingPerPacket() {
        live.cascade.sfu.params.Codec h264 = new live.cascade.sfu.params.Codec(Fixtures.H264_PT, "H264", 90_000, 1, "",
                java.util.List.of("nack", "nack pli", "goog-remb"), Fixtures.H264_RTX_PT);
        HeaderExtensions noTransportCc = new HeaderExtensions(1, 2, 0, 4, 0, 0);
        java.util.List<live.cascade.sfu.params.TrackParameters> tracks = java.util.List.of(
                new live.cascade.sfu.params.TrackParameters(live.cascade.sfu.params.MediaKind.AUDIO, "0",
                        new live.cascade.sfu.params.Codec(Fixtures.OPUS_PT, "opus", 48_000, 2, "", java.util.List.of(), -1),
                        Fixtures.AUDIO_SSRC, 0, noTransportCc),
                new live.cascade.sfu.params.TrackParameters(live.cascade.sfu.params.MediaKind.VIDEO, "1", h264,
                        Fixtures.VIDEO_SSRC, Fixtures.VIDEO_RTX_SSRC, noTransportCc));
        measureRecoveryPaths(tracks, "remb");
    }

    private void measureRecoveryPaths(java.util.List<live.cascade.sfu.params.TrackParameters> publisherTracks,
                                      String expectedFeedback) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported()).as("per-thread allocation accounting is needed to measure allocation").isTrue();
        mx.setThreadAllocatedMemoryEnabled(true);

        ManualClock clock = new ManualClock();
        Router router = new Router("alloc-recovery", publisherTracks, RouterListener.NONE, Fixtures.config(), clock,
                new SplittableRandom(6));
        FakeTransport publisher = new FakeTransport(false);
        MediaReceiver ingress = router.attachPublisher(publisher, publisherTracks);
        HeaderExtensions viewerExt = new HeaderExtensions(1, 2, 3, 4, 0, 0);
        FakeTransport rtxViewer = new FakeTransport(false);
        rtxViewer.watchedSsrc = 0xA2;
        ViewerHandle withRtx = router.addViewer(rtxViewer, java.util.List.of(
                new live.cascade.sfu.params.TrackParameters(live.cascade.sfu.params.MediaKind.AUDIO, "0", Fixtures.opus(109), 0xA1, 0, viewerExt),
                new live.cascade.sfu.params.TrackParameters(live.cascade.sfu.params.MediaKind.VIDEO, "1", Fixtures.h264(96, 97), 0xA2, 0xA3, viewerExt)));
        FakeTransport plainViewer = new FakeTransport(false);
        plainViewer.watchedSsrc = 0xB2;
        ViewerHandle plain = router.addViewer(plainViewer, Fixtures.viewer(0xB1, 109, 0xB2, 96, "0", "1", viewerExt));

        RecoveryDriver d = new RecoveryDriver(ingress, clock, router, withRtx, rtxViewer, plain, plainViewer);
        d.run(WARM_UP);
        // A viewer joining now catches up from the GOP cache during the measurement (its set-up is not measured).
        FakeTransport joiner = new FakeTransport(false);
        router.addViewer(joiner, Fixtures.viewer(0xC1, 109, 0xC2, 96, "0", "1", viewerExt));

        long rtxBefore = rtxViewer.rtpCount;
        long before = mx.getCurrentThreadAllocatedBytes();
        d.run(MEASURED);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;

        RouterStats stats = router.stats();
        TrackStats video = stats.tracks().get(1);
        System.out.printf("allocation (%s, NACK/RTX/catch-up): %d bytes for %d publisher packets: %.4f bytes/packet%n",
                expectedFeedback, allocated, MEASURED, (double) allocated / MEASURED);
        assertThat(router.ingestStats().congestionFeedback()).isEqualTo(expectedFeedback);
        assertThat(video.nacksRequested()).as("NACKs went to the publisher").isPositive();
        assertThat(video.packetsRecovered()).as("RTX answers were unwrapped").isPositive();
        assertThat(stats.drops(RouterDrop.DUPLICATE_PACKET)).isPositive();
        assertThat(stats.drops(RouterDrop.RTX_PADDING)).isPositive();
        assertThat(withRtx.stats().tracks().get(1).rtxPacketsSent()).as("viewer NACKs answered with RTX").isPositive();
        assertThat(plain.stats().tracks().get(1).packetsRetransmitted()).isPositive();
        assertThat(withRtx.stats().transportCcFeedbacks()).isPositive();
        assertThat(joiner.rtpCount).as("the joiner got video").isGreaterThan(MEASURED / 2);
        assertThat(rtxViewer.rtpCount - rtxBefore).isGreaterThan(MEASURED / 2);
        assertThat(publisher.rtcpCount).isPositive();
        assertThat(allocated).isLessThan(16 * 1024);
    }

    /**
     * Like {@link Driver}, plus: every transport-wide number set; one video packet in 50 lost and retransmitted as
     * RTX 30 packets later (every third twice); RTX probe padding; viewer NACKs and transport-cc feedback.
     */
    private static final class RecoveryDriver {
        private final MediaReceiver ingress;
        private final ManualClock clock;
        private final Router router;
        private final ViewerHandle rtxViewer;
        private final FakeTransport rtxTransport;
        private final ViewerHandle plainViewer;
        private final FakeTransport plainTransport;
        private final byte[] key = Fixtures.video(0, 0, IDR).build();
        private final byte[] delta = Fixtures.video(0, 0, DELTA).build();
        private final byte[] video = Fixtures.video(0, 0, new byte[1100]).build();
        private final byte[] audio = Fixtures.audio(0, 0).build();
        private final byte[] probe = live.cascade.sfu.testkit.RtpPacketBuilder.rtp().ssrc(Fixtures.VIDEO_RTX_SSRC)
                .pt(Fixtures.H264_RTX_PT).payload(new byte[0]).padding(200).ext1(3, (byte) 0, (byte) 0).build();
        private final byte[] lost = new byte[1600];
        private final byte[] rtx = new byte[1600];
        private final byte[] nack = new byte[64];
        private final byte[] tccFeedback = new byte[1500];
        private final int[] nackSeq = new int[1];
        private final int videoTcc;
        private final int audioTcc;
        private final int probeTcc;
        private final int videoHeader;
        private int lostLength = -1;
        private int lostAt;
        private int videoSeq = 60_000;
        private int audioSeq = 1;
        private int rtxSeq = 1;
        private int transportSeq = 65_000;
        private int tccLength;
        private long n;

        RecoveryDriver(MediaReceiver ingress, ManualClock clock, Router router, ViewerHandle rtxViewer,
                       FakeTransport rtxTransport, ViewerHandle plainViewer, FakeTransport plainTransport) {
            this.ingress = ingress;
            this.clock = clock;
            this.router = router;
            this.rtxViewer = rtxViewer;
            this.rtxTransport = rtxTransport;
            this.plainViewer = plainViewer;
            this.plainTransport = plainTransport;
            System.arraycopy(IDR, 0, video, video.length - 1100, IDR.length);
            video[video.length - 1100] = 0x41;
            live.cascade.sfu.rtp.RtpHeader h = new live.cascade.sfu.rtp.RtpHeader();
            h.parse(video, 0, video.length);
            videoTcc = h.findExtension(3);
            videoHeader = h.headerLength();
            h.parse(audio, 0, audio.length);
            audioTcc = h.findExtension(3);
            h.parse(probe, 0, probe.length);
            probeTcc = h.findExtension(3);
            // The viewer's feedback about what it received from us: any well-formed one will do.
            live.cascade.sfu.feedback.TransportCcFeedback viewerSide = new live.cascade.sfu.feedback.TransportCcFeedback();
            for (int i = 0; i < 60; i++) if (i % 13 != 4) viewerSide.onPacket(i, i * 1_000_000L);
            tccLength = viewerSide.write(tccFeedback, 0, 0x777, 0xA2);
        }

        void run(int packets) {
            for (int i = 0; i < packets; i++, n++) {
                clock.advanceNanos(1_000_000L);
                if (n % 4 == 3) {
                    send(audio, audioTcc, audioSeq++, 960L * audioSeq);
                } else {
                    byte[] p = n % 300 == 0 ? key : n % 4 == 1 ? delta : video;
                    int seq = videoSeq++;
                    long ts = 3000L * (n / 4);
                    if (seq % 50 == 7 && lostLength < 0 && p != key) {
                        stamp(p, videoTcc, seq, ts);
                        System.arraycopy(p, 0, lost, 0, p.length);
                        lostLength = p.length;
                        lostAt = i;
                    } else {
                        send(p, videoTcc, seq, ts);
                    }
                }
                if (lostLength >= 0 && i - lostAt == 30) {
                    retransmit();
                    if (rtxSeq % 3 == 0) retransmit();
                    lostLength = -1;
                }
                if (n % 500 == 250) {
                    BigEndian.put16(probe, 2, rtxSeq++ & 0xFFFF);
                    BigEndian.put16(probe, probeTcc, transportSeq++ & 0xFFFF);
                    ingress.onRtp(probe, 0, probe.length);
                }
                if (n % 1000 == 500) {
                    nack(rtxViewer, rtxTransport, 0xA2);
                    nack(plainViewer, plainTransport, 0xB2);
                    rtxViewer.rtcpInput().onRtcp(tccFeedback, 0, tccLength);
                }
                if (n % 50 == 0) router.onTick(clock.nanoTime());
            }
        }

        private void nack(ViewerHandle v, FakeTransport t, long ssrc) {
            if (t.lastWatchedSequence < 0) return;
            nackSeq[0] = (t.lastWatchedSequence - 3) & 0xFFFF;
            int len = RtcpWriter.writeNack(nack, 0, 0x777, ssrc, nackSeq, 1);
            v.rtcpInput().onRtcp(nack, 0, len);
        }

        private void retransmit() {
            System.arraycopy(lost, 0, rtx, 0, lostLength);
            int len = live.cascade.sfu.rtp.RtxPacketizer.wrap(rtx, 0, lostLength, videoHeader, Fixtures.H264_RTX_PT,
                    rtxSeq++, Fixtures.VIDEO_RTX_SSRC);
            BigEndian.put16(rtx, videoTcc, transportSeq++ & 0xFFFF);
            ingress.onRtp(rtx, 0, len);
        }

        private void stamp(byte[] p, int tccAt, int seq, long ts) {
            BigEndian.put16(p, 2, seq & 0xFFFF);
            BigEndian.put32(p, 4, ts & 0xFFFF_FFFFL);
            BigEndian.put16(p, tccAt, transportSeq++ & 0xFFFF);
        }

        private void send(byte[] p, int tccAt, int seq, long ts) {
            stamp(p, tccAt, seq, ts);
            ingress.onRtp(p, 0, p.length);
        }
    }
}
