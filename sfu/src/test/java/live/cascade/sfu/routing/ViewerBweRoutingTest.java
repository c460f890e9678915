package live.cascade.sfu.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * Estimation, probing and pacing inside the router: a publisher sends ~2 Mbit/s of H.264, one viewer (RTX and
 * transport-cc negotiated) returns the real transport-cc feedback of what it received over a path of known capacity.
 */
class ViewerBweRoutingTest {
    private static final long MS = 1_000_000L;
    /** Viewer ids: mid 1, abs-send-time 2, transport-cc 3, audio-level 4. */
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(1, 2, 3, 4, 0, 0);
    private static final long VIEWER_RTX_SSRC = 0xA3;

    private final ManualClock clock = new ManualClock();
    private final Router router = new Router("bwe", Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock,
            new SplittableRandom(7));
    private final FakeTransport viewerTransport = new FakeTransport();
    private final ViewerHandle viewer = router.addViewer(viewerTransport, List.of(
            new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(109), 0xA1, 0, VIEWER_EXT),
            new TrackParameters(MediaKind.VIDEO, "1", Fixtures.h264(96, 97), 0xA2, VIEWER_RTX_SSRC, VIEWER_EXT)));
    private final MediaReceiver ingress = router.attachPublisher(new FakeTransport(false), Fixtures.publisher());

    private final BottleneckPath path = new BottleneckPath();
    private int videoSeq;
    private long paddingSeen;
    private long bytesSeen;

    /** Runs {@code millis} of a 30 fps, 8 packets a frame (~2 Mbit/s) stream over a path of {@code capacity}. */
    private void run(long millis, long capacity, boolean transportCc) {
        for (long ms = 0; ms < millis; ms++) {
            long now = clock.nanoTime();
            if (ms % 33 == 0) {
                long ts = 90L * (now / MS);
                for (int k = 0; k < 8; k++) {
                    boolean key = videoSeq == 0;
                    byte[] p = Fixtures.video(videoSeq, ts, key && k == 0 ? Fixtures.IDR : Fixtures.DELTA)
                            .marker(k == 7).payloadOfLength(1000).build();
                    videoSeq++;
                    ingress.onRtp(p, 0, p.length);
                }
            }
            if (ms % 5 == 0) router.onPace(now);
            if (ms % 100 == 0) router.onTick(now);
            for (byte[] p : viewerTransport.rtp) onWire(p, now, capacity);
            viewerTransport.clear();
            path.deliver(now);
            if (transportCc && ms % 50 == 0) path.feedBack(viewer, 0xA1, 0xA2);
            clock.advanceMillis(1);
        }
    }

    private void onWire(byte[] p, long now, long capacity) {
        bytesSeen += p.length;
        long ssrc = BigEndian.u32(p, 8);
        if (ssrc == VIEWER_RTX_SSRC && (p[0] & 0x20) != 0 && p[p.length - 1] == (byte) (p.length - 20)) paddingSeen++;
        path.send(p, now, capacity);
    }

    @Test
    void onAnOpenPathTheEstimateCoversTheStreamAndProbesAreSent() {
        assertThat(viewer.bitsPerSecond()).as("unknown before feedback").isEqualTo(-1);
        run(10_000, 20_000_000, true);
        ViewerBweStats bwe = viewer.stats().bwe();
        assertThat(bwe.transportCc()).isTrue();
        long streamBps = bytesSeen * 8 / 10;
        System.out.printf("open path: stream %d bit/s, estimate %d, acked %d, probes %d, padding %d%n", streamBps,
                viewer.bitsPerSecond(), bwe.ackedBitsPerSecond(), bwe.probes(), bwe.paddingPackets());
        assertThat(viewer.bitsPerSecond()).as("the estimate covers what the path carried").isGreaterThanOrEqualTo(1_900_000);
        assertThat(bwe.probes()).isPositive();
        assertThat(paddingSeen).as("padding-only RTX probe packets on the wire").isPositive();
        assertThat(bwe.pacerDrops()).isZero();
    }

    @Test
    void onANarrowPathTheEstimateFallsBelowItsCapacity() {
        run(3_000, 20_000_000, true);
        long before = viewer.bitsPerSecond();
        run(3_000, 700_000, true);
        System.out.printf("narrow path: estimate %d before, %d after 3 s at 700 kbit/s%n", before, viewer.bitsPerSecond());
        assertThat(viewer.bitsPerSecond()).isLessThan(700_000);
        assertThat(router.stats().viewers().get(0).bitsPerSecond()).isEqualTo(viewer.bitsPerSecond());
    }

    @Test
    void withOnlyRembTheEstimateIsTheRembAndThePacerNeverStarvesTheStream() {
        long remb = 400_000; // a fifth of the stream: only a layer switch could make the stream fit it
        byte[] r = new byte[64];
        int n = RtcpWriter.writeRemb(r, 0, 0xA1, remb, new long[] {0xA2}, 1);
        viewer.rtcpInput().onRtcp(r, 0, n);
        assertThat(viewer.bitsPerSecond()).isEqualTo(remb);
        run(5_000, 20_000_000, false);
        ViewerBweStats bwe = viewer.stats().bwe();
        long sentBps = bytesSeen * 8 / 5;
        System.out.printf("REMB %d: %d bit/s left the pacer, %d packets dropped%n", remb, sentBps, bwe.pacerDrops());
        // The pacer paces at 2.5 x max(estimate, the stream's own rate): it spreads bursts, it does not drop the stream.
        assertThat(bwe.pacerDrops()).isZero();
        assertThat(sentBps).isGreaterThan(1_900_000);
        assertThat(bwe.transportCc()).isFalse();
    }
    @Test
    void audioLeavesAheadOfAKeyframeBurstTheViewersPacerHolds() {
        run(1_000, 20_000_000, true);
        viewerTransport.clear();
        long ts = 90L * (clock.nanoTime() / MS);
        for (int k = 0; k < 60; k++) {
            byte[] p = Fixtures.video(videoSeq++, ts, k == 0 ? Fixtures.IDR : Fixtures.DELTA).marker(k == 59)
                    .payloadOfLength(1000).build();
            ingress.onRtp(p, 0, p.length);
        }
        byte[] audio = Fixtures.audio(1, 48L * (clock.nanoTime() / MS)).build();
        ingress.onRtp(audio, 0, audio.length);
        long videoOut = viewerTransport.rtp.stream().filter(p -> BigEndian.u32(p, 8) == 0xA2).count();
        long audioOut = viewerTransport.rtp.stream().filter(p -> BigEndian.u32(p, 8) == 0xA1).count();
        // Held behind 60 kB of keyframe, audio would reach the viewer ~50 ms late; its jitter buffer would grow to
        // cover that and audio/video sync would hold the viewer's video back as far.
        assertThat(videoOut).as("the pacer holds most of the burst").isLessThan(30);
        assertThat(audioOut).as("the audio packet did not wait behind it").isEqualTo(1);
    }
}
