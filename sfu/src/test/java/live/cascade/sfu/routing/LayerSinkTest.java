package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * A sink that wants every simulcast layer as received (the HLS tap's {@code --hls-simulcast copy}): it gets each
 * layer's packets and sender reports with the layer's position and its own SSRC besides the one continuous stream,
 * keeps every layer consumed, and its keyframe requests go to all layers at once in one compound RTCP packet.
 */
class LayerSinkTest {
    private static final HeaderExtensions PUB_EXT = new HeaderExtensions(1, 0, 3, 0, 10, 11);
    private static final int VP8_PT = 96;
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    private final long[] ssrc = {0x4001, 0x4002, 0x4003};
    private final int[] seq = {10, 2_000, 30_000};
    private final long[] ts = {7_000, 9_000_000, 3_000_000_000L};

    private final ManualClock clock = new ManualClock();
    private Router router;
    private MediaReceiver ingress;
    private FakeTransport publisher;

    /** What the layer sink saw: per packet its layer and SSRC; per report its layer and RTP timestamp. */
    private final List<long[]> layerPackets = new ArrayList<>();
    private final List<long[]> layerReports = new ArrayList<>();
    private int streamPackets;

    private static List<TrackParameters> publication() {
        List<TrackParameters> tracks = new ArrayList<>();
        tracks.add(new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(111), 0x1000, 0, PUB_EXT));
        for (String rid : RIDS) tracks.add(new TrackParameters(MediaKind.VIDEO, "1", Fixtures.vp8(VP8_PT), 0, 0, PUB_EXT, rid));
        return tracks;
    }

    private void start(boolean wantsLayers) {
        router = new Router("layers", publication(), RouterListener.NONE, Fixtures.config(), clock, new SplittableRandom(3));
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, publication());
        router.addSink(new PacketSink() {
            @Override public void onRtp(MediaKind kind, byte[] buf, int off, int len) {
                if (kind == MediaKind.VIDEO) streamPackets++;
            }

            @Override public boolean wantsLayers() { return wantsLayers; }

            @Override public void onLayerRtp(MediaKind kind, int layer, byte[] buf, int off, int len) {
                layerPackets.add(new long[] {layer, BigEndian.u32(buf, off + 8)});
            }

            @Override public void onLayerSenderReport(int layer, long ntp, long rtpTimestamp) {
                layerReports.add(new long[] {layer, rtpTimestamp});
            }
        });
    }

    private void frame(int l, boolean key) {
        int pic = seq[l] & 0x7FFF;
        byte[] descriptor = {(byte) 0x90, (byte) 0xC0, (byte) (0x80 | pic >> 8), (byte) pic, 0};
        byte[] body = key
                ? bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, SIZES[l][0] & 0xFF, SIZES[l][0] >> 8, SIZES[l][1] & 0xFF, SIZES[l][1] >> 8, 0x00)
                : bytes(0x11, 0x02, 0x00, 0x55, l, seq[l] & 0xFF);
        byte[] payload = new byte[200 * (l + 1)];
        System.arraycopy(descriptor, 0, payload, 0, descriptor.length);
        System.arraycopy(body, 0, payload, descriptor.length, body.length);
        byte[] p = rtp().ssrc(ssrc[l]).pt(VP8_PT).seq(seq[l]).ts(ts[l]).payload(payload).marker(true)
                .ext1(1, bytes('1')).ext1(10, RIDS[l].getBytes(StandardCharsets.UTF_8)).ext1(3, bytes(0, seq[l] & 0xFF)).build();
        ingress.onRtp(p, 0, p.length);
        seq[l] = (seq[l] + 1) & 0xFFFF;
        ts[l] = (ts[l] + 3000) & 0xFFFF_FFFFL;
    }

    private void run(int frames, boolean keyframes) {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(33);
            for (int l = 0; l < 3; l++) frame(l, keyframes && i == 0);
            if (i % 3 == 2) router.onTick(clock.nanoTime());
        }
    }

    @Test
    void aLayerSinkGetsEveryLayerAsSentBesidesTheOneStream() {
        start(true);
        run(30, true);
        // 30 frames of each layer, each under its layer's position in offer order and its own SSRC.
        for (int l = 0; l < 3; l++) {
            int layer = l;
            assertThat(layerPackets.stream().filter(p -> p[0] == layer)).as("layer " + l).hasSize(30)
                    .allSatisfy(p -> assertThat(p[1]).isEqualTo(ssrc[layer]));
        }
        assertThat(streamPackets).as("the one stream: the top layer's 30 frames").isEqualTo(30);

        byte[] buf = new byte[128];
        int n = RtcpWriter.writeSenderReport(buf, 0, ssrc[1], 0x1234_5678_0000_0000L, ts[1], 1, 1, 0);
        ingress.onRtcp(buf, 0, n);
        assertThat(layerReports).containsExactly(new long[] {1, ts[1]});
    }

    @Test
    void anOrdinarySinkGetsNoLayers() {
        start(false);
        run(30, true);
        assertThat(layerPackets).isEmpty();
        assertThat(streamPackets).isGreaterThan(20);
    }

    @Test
    void aLayerSinkKeepsEveryLayerConsumedWhereAnOrdinarySinkLetsTheOthersPause() {
        start(false);
        router.publisherPausesLayers(true);
        run(100, true);
        assertThat(router.pausedLayers()).as("only the top layer feeds an ordinary sink").containsExactlyInAnyOrder("q", "h");

        layerPackets.clear();
        start(true);
        router.publisherPausesLayers(true);
        run(100, true);
        assertThat(router.pausedLayers()).isEmpty();
    }

    @Test
    void layerKeyframeRequestsGoToEveryLayerInOneCompoundPacketThrottledPerLayer() {
        start(true);
        run(10, true);
        publisher.rtcp.clear();
        router.requestLayerKeyframes();
        assertThat(publisher.rtcp).as("one datagram").hasSize(1);
        List<byte[]> plis = rtcp(publisher, RtcpTypes.PSFB, 1);
        assertThat(plis).extracting(p -> BigEndian.u32(p, 8)).containsExactlyInAnyOrder(ssrc[0], ssrc[1], ssrc[2]);

        // Within the throttle interval (500 ms here) nothing more goes out at once; the requests stay pending and the
        // tick sends them once allowed, unless a keyframe came meanwhile.
        publisher.rtcp.clear();
        clock.advanceMillis(100);
        router.requestLayerKeyframes();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, 1)).isEmpty();
        clock.advanceMillis(450);
        router.onTick(clock.nanoTime());
        assertThat(rtcp(publisher, RtcpTypes.PSFB, 1)).extracting(p -> BigEndian.u32(p, 8))
                .containsExactlyInAnyOrder(ssrc[0], ssrc[1], ssrc[2]);
    }
}
