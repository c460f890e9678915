package live.cascade.sfu.routing;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * The send-side estimate drives the simulcast layer choice: a viewer (transport-cc and RTX negotiated, no REMB) whose
 * path narrows from open to 1 Mbit/s leaves the ~2 Mbit/s top layer by its estimate alone, and once the path opens
 * again, probing toward the next layer up brings it back to the top.
 */
class SimulcastBweRoutingTest {
    private static final long MS = 1_000_000L;
    /** Publisher ids: mid 1, transport-cc 3, rid 10. */
    private static final HeaderExtensions PUB_EXT = new HeaderExtensions(1, 0, 3, 0, 10, 0);
    /** Viewer ids: mid 1, transport-cc 3. */
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(1, 0, 3, 0, 0, 0);
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[] WIDTHS = {320, 640, 1280};
    /** Packets of 1,000 bytes per frame at 30 fps: about 0.24, 0.72 and 1.9 Mbit/s. */
    private static final int[] PACKETS = {1, 3, 8};
    private static final long VIEWER_VIDEO_SSRC = 0xB2, VIEWER_RTX_SSRC = 0xB3;

    private final ManualClock clock = new ManualClock();
    private final long[] ssrc = {0x3001, 0x3002, 0x3003};
    private final int[] seq = {100, 20_000, 60_000};
    private final long[] ts = {1_000, 5_000_000, 4_000_000_000L};
    private final int[] pic = {10, 5_000, 32_700};
    private final BottleneckPath path = new BottleneckPath();
    private final FakeTransport viewerTransport = new FakeTransport();
    private Router router;
    private MediaReceiver ingress;
    private ViewerHandle viewer;
    private int frames;

    private static List<TrackParameters> publication() {
        List<TrackParameters> tracks = new ArrayList<>();
        tracks.add(new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(111), 0x1000, 0, PUB_EXT));
        for (String rid : RIDS) tracks.add(new TrackParameters(MediaKind.VIDEO, "1", Fixtures.vp8(96), 0, 0, PUB_EXT, rid));
        return tracks;
    }

    /** One frame on layer {@code l}: VP8 descriptor with picture id, a keyframe's first packet carries the size. */
    private void frame(int l, boolean key) {
        for (int k = 0; k < PACKETS[l]; k++) {
            byte[] payload = new byte[1000];
            byte[] descriptor = {(byte) (k == 0 ? 0x90 : 0x80), (byte) 0x80, (byte) (0x80 | pic[l] >> 8), (byte) pic[l]};
            System.arraycopy(descriptor, 0, payload, 0, descriptor.length);
            byte[] body = k > 0 ? bytes(0x00) : key
                    ? bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, WIDTHS[l] & 0xFF, WIDTHS[l] >> 8, 180, 0, 0x00)
                    : bytes(0x11, 0x02, 0x00);
            System.arraycopy(body, 0, payload, descriptor.length, body.length);
            byte[] p = rtp().ssrc(ssrc[l]).pt(96).seq(seq[l]).ts(ts[l]).payload(payload).marker(k == PACKETS[l] - 1)
                    .ext1(1, bytes('1')).ext1(10, RIDS[l].getBytes(StandardCharsets.UTF_8)).build();
            ingress.onRtp(p, 0, p.length);
            seq[l] = (seq[l] + 1) & 0xFFFF;
        }
        ts[l] = (ts[l] + 3000) & 0xFFFF_FFFFL;
        pic[l] = (pic[l] + 1) & 0x7FFF;
    }

    /** {@code millis} of the three layers (a keyframe a second on each) toward the viewer over a path of {@code capacity}. */
    private void run(long millis, long capacity) {
        for (long ms = 0; ms < millis; ms++) {
            long now = clock.nanoTime();
            if (clock.nanoTime() / MS % 33 == 0) {
                for (int l = 0; l < 3; l++) frame(l, frames % 30 == 0);
                frames++;
            }
            if (ms % 5 == 0) router.onPace(now);
            if (ms % 100 == 0) router.onTick(now);
            for (byte[] p : viewerTransport.rtp) path.send(p, now, capacity);
            viewerTransport.clear();
            path.deliver(now);
            if (ms % 50 == 0) path.feedBack(viewer, 0xB1, VIEWER_VIDEO_SSRC);
            clock.advanceMillis(1);
        }
    }

    private String layer() {
        return viewer.stats().tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).findFirst().orElseThrow().layer();
    }

    /** Runs until the viewer is on {@code rid} or {@code limitMillis} passed; returns the milliseconds it took, -1 never. */
    private long until(String rid, long capacity, long limitMillis) {
        for (long t = 0; t < limitMillis; t += 100) {
            if (rid.equals(layer())) return t;
            run(100, capacity);
        }
        return rid.equals(layer()) ? limitMillis : -1;
    }

    @Test
    void theEstimateTakesTheViewerDownOnANarrowPathAndProbingBringsItBackUp() {
        router = new Router("sim-bwe", publication(), RouterListener.NONE, Fixtures.config(), clock, new SplittableRandom(3));
        ingress = router.attachPublisher(new FakeTransport(false), publication());
        run(2_000, 50_000_000);
        Codec vp8Rtx = new Codec(98, "VP8", 90_000, 1, "", List.of("nack", "nack pli", "transport-cc"), 99);
        viewer = router.addViewer(viewerTransport, List.of(
                new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(109), 0xB1, 0, VIEWER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", vp8Rtx, VIEWER_VIDEO_SSRC, VIEWER_RTX_SSRC, VIEWER_EXT)));

        long top = until("f", 50_000_000, 15_000);
        assertThat(top).as("on an open path the viewer is (or comes back) on top; estimate %d", viewer.bitsPerSecond())
                .isGreaterThanOrEqualTo(0);
        run(3_000, 50_000_000);
        assertThat(layer()).isEqualTo("f");
        long open = viewer.bitsPerSecond();

        long down = -1;
        for (long t = 0; t < 15_000 && down < 0; t += 100) {
            run(100, 1_000_000);
            if (!"f".equals(layer())) down = t + 100;
        }
        long narrow = viewer.bitsPerSecond();
        run(5_000, 1_000_000);
        String narrowLayer = layer();
        long up = until("f", 50_000_000, 30_000);
        System.out.printf("simulcast + bwe: estimate %d open; path at 1 Mbit/s: off the top layer after %d ms (estimate %d),"
                + " on %s 5 s later; path open again: back on f after %d ms (estimate %d, probes %d)%n", open, down, narrow,
                narrowLayer, up, viewer.bitsPerSecond(), viewer.stats().bwe().probes());
        assertThat(open).isGreaterThan(1_900_000L * 5 / 4);
        assertThat(down).as("left the top layer on the narrow path").isPositive();
        assertThat(narrowLayer).isIn("q", "h");
        assertThat(up).as("probing toward the next layer up brought it back to the top").isGreaterThanOrEqualTo(0);
    }
}
