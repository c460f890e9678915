package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.routing.Sent.withSsrc;
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
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through the router: layers told apart by rid, ranked by measured size, one layer per viewer chosen from
 * its REMB or pinned, switches only at the target layer's keyframe, and one continuous stream for the player
 * (sequence numbers, timestamps, VP8 picture ids and TL0PICIDX) across switches and a publisher reconnect.
 */
class SimulcastRoutingTest {
    /** Publisher ids: mid 1, transport-cc 3, rid 10, repaired-rid 11. */
    private static final HeaderExtensions PUB_EXT = new HeaderExtensions(1, 0, 3, 0, 10, 11);
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 0, 0, 0);
    private static final int VP8_PT = 96;
    private static final long VIEWER_VIDEO_SSRC = 0xB2;
    /** Offer order is smallest first, and the names say nothing: ranking must come from the bitstream. */
    private static final String[] RIDS = {"q", "x", "f"};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};

    private final ManualClock clock = new ManualClock();
    private Router router;
    private MediaReceiver ingress;
    private FakeTransport publisher;
    /** Per layer: SSRC, sequence number, timestamp, picture id, TL0PICIDX of the publisher's stream. */
    private final long[] ssrc = {0x3001, 0x3002, 0x3003};
    private final int[] seq = {100, 20_000, 60_000};
    private final long[] ts = {1_000, 5_000_000, 4_000_000_000L};
    private final int[] pic = {10, 5_000, 32_700};
    private final int[] tl0 = {1, 100, 250};
    private final List<byte[]> sinkPackets = new ArrayList<>();
    /** Which layers the publisher sends (one it was told to pause, it stops). */
    private final boolean[] sending = {true, true, true};
    /** Off where allocation is measured: keeping copies of what the sink and the publisher got allocates. */
    private boolean keepSinkPackets = true;
    /** Bytes per frame per layer: about 72, 240 and 340 kbit/s at 30 frames per second. */
    private static final int[] FRAME_BYTES = {300, 1000, 1400};

    private static List<TrackParameters> publication() {
        List<TrackParameters> tracks = new ArrayList<>();
        tracks.add(new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(111), 0x1000, 0, PUB_EXT));
        for (String rid : RIDS) {
            tracks.add(new TrackParameters(MediaKind.VIDEO, "1", Fixtures.vp8(VP8_PT), 0, 0, PUB_EXT, rid));
        }
        return tracks;
    }

    private void start() {
        router = new Router("sim", publication(), RouterListener.NONE, Fixtures.config(), clock, new SplittableRandom(5));
        publisher = new FakeTransport(keepSinkPackets); // keeps what it is sent, except where allocation is measured
        ingress = router.attachPublisher(publisher, publication());
        router.addSink(new PacketSink() {
            @Override public void onRtp(MediaKind kind, byte[] buf, int off, int len) {
                if (kind == MediaKind.VIDEO && keepSinkPackets) sinkPackets.add(java.util.Arrays.copyOfRange(buf, off, off + len));
            }
        });
    }

    /** One frame of one packet on layer {@code l}; keyframes carry the layer's size in the VP8 header. */
    private void frame(int l, boolean key) {
        byte[] descriptor = {(byte) 0x90, (byte) 0xC0, (byte) (0x80 | pic[l] >> 8), (byte) pic[l], (byte) tl0[l]};
        byte[] body = key
                ? bytes(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, SIZES[l][0] & 0xFF, SIZES[l][0] >> 8, SIZES[l][1] & 0xFF,
                        SIZES[l][1] >> 8, 0x00)
                : bytes(0x11, 0x02, 0x00, 0x55, l, seq[l] & 0xFF);
        byte[] payload = new byte[FRAME_BYTES[l]];
        System.arraycopy(descriptor, 0, payload, 0, descriptor.length);
        System.arraycopy(body, 0, payload, descriptor.length, body.length);
        byte[] p = rtp().ssrc(ssrc[l]).pt(VP8_PT).seq(seq[l]).ts(ts[l]).payload(payload).marker(true)
                .ext1(1, bytes('1')).ext1(10, RIDS[l].getBytes(StandardCharsets.UTF_8)).ext1(3, bytes(0, seq[l] & 0xFF))
                .build();
        ingress.onRtp(p, 0, p.length);
        seq[l] = (seq[l] + 1) & 0xFFFF;
        ts[l] = (ts[l] + 3000) & 0xFFFF_FFFFL;
        pic[l] = (pic[l] + 1) & 0x7FFF;
        if (key) tl0[l] = (tl0[l] + 1) & 0xFF;
    }

    /** {@code frames} frames on every layer, 33 ms apart, a tick every third; keyframes when asked. */
    private void run(int frames, boolean keyframes) {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(33);
            for (int l = 0; l < 3; l++) if (sending[l]) frame(l, keyframes && i == 0);
            if (i % 3 == 2) router.onTick(clock.nanoTime());
        }
    }

    private ViewerHandle join(FakeTransport t) {
        return router.addViewer(t, Fixtures.viewer(0xB1, 109, VIEWER_VIDEO_SSRC, 98, "0", "1", VIEWER_EXT)
                .stream().map(p -> p.kind() == MediaKind.VIDEO
                        ? new TrackParameters(MediaKind.VIDEO, "1", Fixtures.vp8(98), VIEWER_VIDEO_SSRC, 0, VIEWER_EXT)
                        : p).toList());
    }

    private void remb(ViewerHandle v, long bitrate) {
        byte[] buf = new byte[64];
        int n = RtcpWriter.writeRemb(buf, 0, 0xB1, bitrate, new long[] {VIEWER_VIDEO_SSRC}, 1);
        v.rtcpInput().onRtcp(buf, 0, n);
    }

    private static String layerOf(ViewerHandle v) {
        return v.stats().tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).findFirst().orElseThrow().layer();
    }

    /** The VP8 picture id (15-bit) of a packet sent to the viewer. */
    private static int pictureId(RtpHeader h) {
        int p = h.offset() + h.headerLength();
        return (h.buffer()[p + 2] & 0x7F) << 8 | h.buffer()[p + 3] & 0xFF;
    }

    private static int tl0(RtpHeader h) { return h.buffer()[h.offset() + h.headerLength() + 4] & 0xFF; }

    /** Layer index (by its marker byte in delta frames, by size in keyframes) of a packet sent to the viewer. */
    private static int sourceLayer(RtpHeader h) {
        int p = h.offset() + h.headerLength() + 5;
        byte[] b = h.buffer();
        if ((b[p] & 1) == 1) return b[p + 4];
        int w = (b[p + 6] & 0xFF) | (b[p + 7] & 0xFF) << 8;
        for (int l = 0; l < 3; l++) if (SIZES[l][0] == w) return l;
        return -1;
    }

    /** Sequence numbers +1, timestamps forward, picture ids +1 per packet (one packet per frame), TL0PICIDX never back. */
    private static void assertOneStream(List<RtpHeader> sent) {
        for (int i = 1; i < sent.size(); i++) {
            RtpHeader a = sent.get(i - 1), b = sent.get(i);
            assertThat(SequenceNumbers.diff(b.sequenceNumber(), a.sequenceNumber())).as("seq step at %d", i).isEqualTo(1);
            assertThat(Timestamps.diff(b.timestamp(), a.timestamp())).as("timestamp step at %d", i).isBetween(1L, 90_000L);
            assertThat((pictureId(b) - pictureId(a)) & 0x7FFF).as("picture id step at %d", i).isEqualTo(1);
            assertThat((tl0(b) - tl0(a)) & 0xFF).as("tl0picidx step at %d", i).isIn(0, 1);
        }
    }

    /** After a join: long enough for the GOP catch-up to end, so the viewer's choice runs. */
    private void settle() { run(20, false); }

    @Test
    void layersAreLearnedByRidAndRankedByMeasuredSizeNotByName() {
        start();
        run(40, true);
        IngestStats stats = router.ingestStats();
        List<IngestTrackStats> video = stats.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).toList();
        assertThat(video).extracting(IngestTrackStats::rid).containsExactly("f", "x", "q");
        assertThat(video).extracting(IngestTrackStats::ssrc).containsExactly(0x3003L, 0x3002L, 0x3001L);
        assertThat(video).extracting(IngestTrackStats::width).containsExactly(1280, 640, 320);
        assertThat(video).allSatisfy(t -> assertThat(t.bitrate()).isPositive());
        assertThat(video).allSatisfy(t -> assertThat(t.frameRate()).isGreaterThan(20));
        // The sinks (HLS tap) start on the best layer once every layer's size is known: the first keyframes arrive
        // smallest first here, and a tap that took q's would plan its ladder for 320x180. So only f, from its keyframe
        // on, as one stream (one SSRC, sequence numbers +1, timestamps forward), so a later switch is no restart.
        List<RtpHeader> sunk = sinkPackets.stream().map(Sent::parse).toList();
        assertThat(sunk).isNotEmpty().allSatisfy(h -> assertThat(sourceLayer(h)).isEqualTo(2));
        assertThat(sunk).extracting(RtpHeader::ssrc).containsOnly(sunk.get(0).ssrc());
        for (int i = 1; i < sunk.size(); i++) {
            assertThat(SequenceNumbers.diff(sunk.get(i).sequenceNumber(), sunk.get(i - 1).sequenceNumber())).isEqualTo(1);
            assertThat(Timestamps.diff(sunk.get(i).timestamp(), sunk.get(i - 1).timestamp())).isBetween(1L, 90_000L);
        }
    }

    @Test
    void aViewerWithoutEstimateGetsTheTopLayerAndGoesDownAtTheLowLayersKeyframeOnly() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        settle(); // started from the top layer's GOP cache
        assertThat(layerOf(v)).isEqualTo("f");
        publisher.rtcp.clear();

        remb(v, 150_000); // fits none but the lowest
        run(9, false);
        // Wanted, not yet switched: no keyframe of the low layer arrived; it was asked for on that layer's SSRC.
        assertThat(layerOf(v)).isEqualTo("f");
        assertThat(v.stats().tracks().get(1).targetLayer()).isEqualTo("q");
        List<byte[]> plis = rtcp(publisher, RtcpTypes.PSFB, 1);
        assertThat(plis).isNotEmpty();
        assertThat(plis).allSatisfy(p -> assertThat(BigEndian.u32(p, 8)).isEqualTo(0x3001L));
        List<RtpHeader> before = withSsrc(vt, VIEWER_VIDEO_SSRC);
        assertThat(before).allSatisfy(h -> assertThat(sourceLayer(h)).isEqualTo(2));

        run(20, true); // now the low layer's keyframe comes
        assertThat(layerOf(v)).isEqualTo("q");
        List<RtpHeader> sent = withSsrc(vt, VIEWER_VIDEO_SSRC);
        int first = before.size();
        assertThat(sourceLayer(sent.get(first))).as("first packet after the switch").isEqualTo(0);
        assertThat(sent.subList(first, sent.size())).allSatisfy(h -> assertThat(sourceLayer(h)).isEqualTo(0));
        assertOneStream(sent);
    }

    @Test
    void upIsCautiousAndAlsoWaitsForAKeyframe() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        remb(v, 150_000);
        settle();
        run(10, true);
        assertThat(layerOf(v)).isEqualTo("q");
        long switches = v.stats().tracks().get(1).layerSwitches();

        remb(v, 50_000_000);
        run(45, false); // 1.5 s: it fits, but has not fitted long enough
        assertThat(layerOf(v)).isEqualTo("q");
        assertThat(v.stats().tracks().get(1).targetLayer()).isEmpty();
        run(60, false); // past the hold: the target is set, still no keyframe
        assertThat(v.stats().tracks().get(1).targetLayer()).isEqualTo("f");
        assertThat(layerOf(v)).isEqualTo("q");
        run(10, true);
        assertThat(layerOf(v)).isEqualTo("f");
        assertOneStream(withSsrc(vt, VIEWER_VIDEO_SSRC));
        assertThat(v.stats().tracks().get(1).layerSwitches()).isEqualTo(switches + 1);
    }

    @Test
    void aPinnedLayerWinsOverTheEstimateUntilUnpinned() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        settle();
        v.pinLayer("x");
        run(10, true);
        assertThat(layerOf(v)).isEqualTo("x");
        assertThat(v.stats().tracks().get(1).layerPinned()).isTrue();
        v.pinLayer(null);
        // Back to the automatic choice: the top layer fits the start rate, and a move up waits out the up-hold.
        run(10, true);
        assertThat(layerOf(v)).isEqualTo("x");
        run(100, false);
        run(10, true); // the top layer's keyframe, asked for once the move was granted
        assertThat(layerOf(v)).isEqualTo("f");
        assertOneStream(withSsrc(vt, VIEWER_VIDEO_SSRC));
    }

    /** The publisher does what {@link Router#pausedLayers} says, as the studio does; returns what it says. */
    private List<String> obeyPauses() {
        List<String> paused = router.pausedLayers();
        for (int l = 0; l < 3; l++) sending[l] = !paused.contains(RIDS[l]);
        return paused;
    }

    @Test
    void layersNobodyConsumesArePausedAndAViewerThatNeedsOneBringsItBackWithoutAFreeze() {
        start(); // with a sink: the HLS tap takes the top layer
        router.publisherPausesLayers(true);
        run(40, true);
        assertThat(router.pausedLayers()).as("1.3 s unconsumed: not yet").isEmpty();
        run(60, false);
        assertThat(obeyPauses()).as("3.3 s unconsumed, the top one feeds the sink").containsExactlyInAnyOrder("q", "x");
        run(90, true); // the publisher stopped them: silent for 3 s
        IngestStats stats = router.ingestStats();
        assertThat(stats.tracks().stream().filter(t -> t.rid().equals("q")).findFirst().orElseThrow().lastPacketAgeMillis())
                .isGreaterThan(2_500);

        // A viewer whose path fits only the lowest layer: it is chosen at the bitrate it had, and that resumes it.
        run(1, true); // a fresh keyframe on the layers still sent, so the join is served from the cache at once
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        run(45, false); // from the top layer's GOP cache, then live
        assertThat(layerOf(v)).isEqualTo("f");
        assertThat(v.stats().tracks().get(1).catchingUp()).isFalse();
        remb(v, 150_000);
        run(3, false);
        assertThat(v.stats().tracks().get(1).targetLayer()).isEqualTo("q");
        assertThat(obeyPauses()).as("q is wanted again at once").containsExactly("x");
        int before = withSsrc(vt, VIEWER_VIDEO_SSRC).size();
        run(6, false); // q's encoder restarting: the viewer goes on with f meanwhile
        assertThat(withSsrc(vt, VIEWER_VIDEO_SSRC).size()).isGreaterThan(before);
        run(10, true); // q's first keyframe after the resume
        assertThat(layerOf(v)).isEqualTo("q");
        assertThat(sourceLayer(withSsrc(vt, VIEWER_VIDEO_SSRC).getLast())).isEqualTo(0);
        assertOneStream(withSsrc(vt, VIEWER_VIDEO_SSRC));
        assertThat(obeyPauses()).containsExactly("x");

        // A pin of the paused middle layer resumes it too; unpinned and unconsumed, it pauses again after the spell.
        v.pinLayer("x");
        run(3, false);
        assertThat(obeyPauses()).isEmpty();
        run(60, true); // long enough for x's rate to be measured again over a whole window
        assertThat(layerOf(v)).isEqualTo("x");
        v.pinLayer(null);
        run(3, false); // back to the estimate's choice: q, at its next keyframe
        run(42, true);
        assertThat(layerOf(v)).isEqualTo("q");
        assertThat(obeyPauses()).as("1.5 s after the pin").isEmpty();
        run(60, false);
        assertThat(obeyPauses()).containsExactly("x");
        assertOneStream(withSsrc(vt, VIEWER_VIDEO_SSRC));
    }

    @Test
    void aViewerWhosePathFitsOnlyTheLowLayerLeavesTheTopLayersCatchUpForIt() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt); // no estimate yet: the top layer's cached group, sent faster than real time
        assertThat(v.stats().tracks().get(1).catchingUp()).isTrue();
        remb(v, 150_000);
        run(3, false);
        // The rest of the top layer's cache would only queue in front of the low layer on such a path.
        assertThat(v.stats().tracks().get(1).catchingUp()).isFalse();
        assertThat(layerOf(v)).isEqualTo("q");
        int sent = withSsrc(vt, VIEWER_VIDEO_SSRC).size();
        run(3, false);
        assertThat(withSsrc(vt, VIEWER_VIDEO_SSRC)).as("waits for q's keyframe").hasSize(sent);
        run(10, true);
        List<RtpHeader> all = withSsrc(vt, VIEWER_VIDEO_SSRC);
        // What the pacer still held of the top layer goes first, then only q, from its keyframe.
        int firstLow = sent;
        while (firstLow < all.size() && sourceLayer(all.get(firstLow)) != 0) firstLow++;
        assertThat(firstLow).as("q arrived").isLessThan(all.size());
        assertThat(all.subList(0, firstLow)).allSatisfy(h -> assertThat(sourceLayer(h)).isEqualTo(2));
        assertThat(all.subList(firstLow, all.size())).allSatisfy(h -> assertThat(sourceLayer(h)).isEqualTo(0));
        assertOneStream(all);
    }

    @Test
    void withoutAPublisherThatPausesNothingChangesForTheChoice() {
        start();
        run(100, true);
        assertThat(router.pausedLayers()).as("reported all the same").containsExactlyInAnyOrder("q", "x");
        sending[0] = false; // the publisher dropped q by itself (its own bandwidth estimate)
        run(90, false);
        run(1, true); // a fresh keyframe, so the join starts from the cache at once (an older one is asked for anew)
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        settle();
        remb(v, 150_000);
        run(3, false); // the tick's choice names the target, whose keyframe is then asked for
        run(10, true);
        assertThat(layerOf(v)).as("q is silent and not known to come back: the lowest that sends").isEqualTo("x");
    }

    @Test
    void aMaximumHeightCapsTheChoice() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        v.maxHeight(400);
        settle();
        run(10, true);
        assertThat(layerOf(v)).isEqualTo("x");
    }

    @Test
    void theStreamStaysOneAcrossAPublisherReconnectWithNewSsrcsAndNumbers() {
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport();
        ViewerHandle v = join(vt);
        settle();
        int before = withSsrc(vt, VIEWER_VIDEO_SSRC).size();
        // A new publisher: new SSRCs, sequence numbers, timestamps and picture ids on every layer.
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, publication());
        for (int l = 0; l < 3; l++) {
            ssrc[l] += 0x100;
            seq[l] = (seq[l] + 7_000) & 0xFFFF;
            ts[l] = (ts[l] + 123_456_789) & 0xFFFF_FFFFL;
            pic[l] = (pic[l] + 9_999) & 0x7FFF;
            tl0[l] = (tl0[l] + 77) & 0xFF;
        }
        clock.advanceMillis(500);
        run(3, false); // delta frames first: withheld until a keyframe
        assertThat(withSsrc(vt, VIEWER_VIDEO_SSRC)).hasSize(before);
        run(10, true);
        List<RtpHeader> sent = withSsrc(vt, VIEWER_VIDEO_SSRC);
        assertThat(sent.size()).isGreaterThan(before);
        assertThat(layerOf(v)).isEqualTo("f");
        assertOneStream(sent);
    }

    @Test
    void switchingLayersAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported()).isTrue();
        mx.setThreadAllocatedMemoryEnabled(true);
        keepSinkPackets = false;
        start();
        run(40, true);
        FakeTransport vt = new FakeTransport(false);
        ViewerHandle v = join(vt);
        settle();
        // Prebuilt packets per layer (a keyframe and a delta frame), renumbered in place; prebuilt REMBs.
        byte[][] key = new byte[3][], delta = new byte[3][];
        for (int l = 0; l < 3; l++) {
            key[l] = packet(l, true);
            delta[l] = packet(l, false);
        }
        byte[] low = new byte[64], high = new byte[64];
        int lowLength = RtcpWriter.writeRemb(low, 0, 0xB1, 150_000, new long[] {VIEWER_VIDEO_SSRC}, 1);
        int highLength = RtcpWriter.writeRemb(high, 0, 0xB1, 50_000_000, new long[] {VIEWER_VIDEO_SSRC}, 1);
        long sentBefore = -1, before = 0;
        long switchesBefore = 0;
        for (int frame = 0; frame < 6_000; frame++) {
            if (frame == 1_200) { // warmed up: measure from here
                switchesBefore = v.stats().tracks().get(1).layerSwitches();
                sentBefore = vt.rtpCount;
                before = mx.getCurrentThreadAllocatedBytes();
            }
            clock.advanceMillis(33);
            if (frame % 300 == 0) v.rtcpInput().onRtcp(low, 0, lowLength);
            if (frame % 300 == 150) v.rtcpInput().onRtcp(high, 0, highLength);
            for (int l = 0; l < 3; l++) {
                byte[] p = frame % 30 == 0 ? key[l] : delta[l];
                BigEndian.put16(p, 2, seq[l]);
                BigEndian.put32(p, 4, ts[l]);
                seq[l] = (seq[l] + 1) & 0xFFFF;
                ts[l] = (ts[l] + 3000) & 0xFFFF_FFFFL;
                ingress.onRtp(p, 0, p.length);
            }
            if (frame % 3 == 2) router.onTick(clock.nanoTime());
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        long switches = v.stats().tracks().get(1).layerSwitches() - switchesBefore;
        System.out.printf("simulcast allocation: %d bytes over %d publisher packets, %d viewer sends, %d layer switches%n",
                allocated, 4_800 * 3, vt.rtpCount - sentBefore, switches);
        assertThat(switches).as("the REMB swings made it switch").isGreaterThanOrEqualTo(10);
        assertThat(vt.rtpCount - sentBefore).isGreaterThan(4_000);
        assertThat(allocated).isLessThan(16 * 1024);
    }

    /** One packet of layer {@code l} as {@link #frame} builds it, without sending it. */
    private byte[] packet(int l, boolean key) {
        byte[][] out = new byte[1][];
        MediaReceiver real = ingress;
        ingress = new MediaReceiver() {
            @Override public void onRtp(byte[] buf, int off, int len) { out[0] = java.util.Arrays.copyOfRange(buf, off, off + len); }
            @Override public void onRtcp(byte[] buf, int off, int len) { }
        };
        frame(l, key);
        ingress = real;
        return out[0];
    }
}
