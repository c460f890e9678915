package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.ReportBlock;
import live.cascade.sfu.rtp.RtcpWriter;
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
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "per-thread allocation accounting unavailable");
        mx.setThreadAllocatedMemoryEnabled(true);

        FakeClock clock = new FakeClock();
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
        private final FakeClock clock;
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

        Driver(MediaReceiver ingress, FakeClock clock, Router router, byte[] video, byte[] key, byte[] delta,
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
                clock.nanos += 1_000_000L;
                if (n % 4 == 3) {
                    send(audio, audioSeq++, 960L * audioSeq);
                } else {
                    byte[] p = n % 300 == 0 ? key : n % 4 == 1 ? delta : video;
                    send(p, videoSeq++, 3000L * (n / 4));
                }
                if (n % 1000 == 0) {
                    viewers[(int) (n / 1000 % viewers.length)].rtcpInput().onRtcp(feedback, 0, feedbackLength);
                }
                if (n % 50 == 0) router.onTick(clock.nanos);
            }
        }

        private void send(byte[] p, int seq, long ts) {
            BigEndian.put16(p, 2, seq & 0xFFFF);
            BigEndian.put32(p, 4, ts & 0xFFFF_FFFFL);
            ingress.onRtp(p, 0, p.length);
        }
    }
}
