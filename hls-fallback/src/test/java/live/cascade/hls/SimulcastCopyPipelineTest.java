package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.record.MediaProbe;
import live.cascade.hls.record.Mp4FragmentIndex;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.rtp.H264Depacketizer;
import live.cascade.hls.segment.Variant;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.NtpTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --hls-simulcast copy} through the tap's pipeline with FFmpeg: a simulated simulcast publisher of three H.264
 * layers (640x360, 320x180, 160x90; each its own SSRC and random RTP origin, each its own sender reports; the router's
 * one stream of the top layer under yet another SSRC and origin). When the layers key the same pictures, every layer
 * becomes a rendition of its own, as sent (its codec string and its very slice bytes), whose segments start at exactly
 * the same times; the tap asked for keyframes on all layers at once. When one layer keys half a GOP off the others,
 * no picture is keyed in every layer, and after the probation the tap makes the configured ladder instead.
 */
@Timeout(120)
class SimulcastCopyPipelineTest {
    private static final int PT = 102;
    private static final int[][] SIZES = {{160, 90}, {640, 360}, {320, 180}}; // offer order says nothing about size
    private static final long[] ORIGINS = {4_294_000_000L, 77_000L, 2_100_000_000L};
    static List<List<SyntheticSource.Coded>> layers = new ArrayList<>();
    static List<SyntheticSource.Coded> opus;

    @TempDir
    Path dir;

    @BeforeAll
    static void media() {
        for (int[] s : SIZES) layers.add(SyntheticSource.video("libx264", s[0], s[1], 30, 30, 11.0));
        opus = SyntheticSource.opus(11.0);
    }

    private static List<TrackParameters> tracks() {
        List<TrackParameters> t = new ArrayList<>();
        Codec h264 = new Codec(PT, "H264", 90_000, 1, "", List.of("nack", "nack pli"), -1);
        for (String rid : List.of("q", "f", "h")) t.add(new TrackParameters(MediaKind.VIDEO, "0", h264, 0, 0, HeaderExtensions.NONE, rid));
        t.add(new TrackParameters(MediaKind.AUDIO, "1", new Codec(SimulatedPublisher.AUDIO_PT, "opus", 48_000, 2, "", List.of(), -1),
                0x2222, 0, HeaderExtensions.NONE));
        return t;
    }

    /** What the router hands the tap: its one stream of the top layer, each layer as sent, the audio, and all their reports. */
    private record Event(long at, Runnable deliver) {
    }

    private static List<Event> publish(TapPipeline p, List<List<SyntheticSource.Coded>> video, long start) {
        List<Event> events = new ArrayList<>();
        long epoch = System.currentTimeMillis() * 1_000_000L;
        RtpPacketizer stream = new RtpPacketizer(PT, 0x5555, 1000, 123_456L);
        List<SyntheticSource.Coded> top = video.get(1);
        for (int l = 0; l < video.size(); l++) {
            int layer = l;
            RtpPacketizer raw = new RtpPacketizer(PT, 0x7000 + l, 100 * l, ORIGINS[l]);
            for (SyntheticSource.Coded c : video.get(l)) {
                long at = start + c.ticks() * 100_000 / 9 + 5_000_000L + l * 3_000_000L; // lower layers a little later
                for (byte[] pkt : raw.h264(c.data(), c.ticks(), null, false)) {
                    events.add(new Event(at, () -> p.onLayerRtp(layer, pkt, pkt.length, at)));
                }
            }
            for (long t = 100_000 + l * 37_000; t < 11_000_000; t += 1_000_000) {
                long ntp = NtpTime.fromEpochNanos(epoch + t * 1000), rtp = raw.rtpTimestamp(t * 9 / 100), at = start + t * 1000;
                events.add(new Event(at, () -> p.onLayerSenderReport(layer, ntp, rtp)));
            }
        }
        for (SyntheticSource.Coded c : top) {
            long at = start + c.ticks() * 100_000 / 9 + 5_000_000L;
            for (byte[] pkt : stream.h264(c.data(), c.ticks(), null, false)) {
                events.add(new Event(at, () -> p.onRtp(MediaKind.VIDEO, pkt, 0, pkt.length, at)));
            }
        }
        RtpPacketizer audio = new RtpPacketizer(SimulatedPublisher.AUDIO_PT, 0x2222, 7, 999L);
        for (SyntheticSource.Coded c : opus) {
            byte[] pkt = audio.packet(c.ticks(), false, c.data());
            long at = start + c.ticks() * 1_000_000L / 48 + 2_000_000L;
            events.add(new Event(at, () -> p.onRtp(MediaKind.AUDIO, pkt, 0, pkt.length, at)));
        }
        for (long t = 50_000; t < 11_000_000; t += 1_000_000) {
            long ntp = NtpTime.fromEpochNanos(epoch + t * 1000), at = start + t * 1000;
            long v = stream.rtpTimestamp(t * 9 / 100), a = audio.rtpTimestamp(t * 48 / 1000);
            events.add(new Event(at, () -> p.onSenderReport(MediaKind.VIDEO, ntp, v, at)));
            events.add(new Event(at, () -> p.onSenderReport(MediaKind.AUDIO, ntp, a, at)));
        }
        events.sort(Comparator.comparingLong(Event::at));
        return events;
    }

    private static void feed(TapPipeline p, List<Event> events) {
        long lastPoll = events.getFirst().at() - 10_000_000L;
        for (Event e : events) {
            e.deliver().run();
            if (e.at() - lastPoll > 5_000_000L) {
                p.poll(e.at());
                lastPoll = e.at();
            }
        }
    }

    private TapPipeline pipeline(LiveOutput out, Runnable askLayers) {
        HlsSettings settings = HlsSettings.defaults(dir).withLadder(Rung.parseLadder("source,180p")).withEnabled(true, false)
                .withSimulcastCopy(true);
        return new TapPipeline(7, "chan", tracks(), settings, out.directory(), out, () -> {}, askLayers, new TapMetrics(),
                new RecordingHealth(), Clock.systemUTC());
    }

    @Test
    void layersKeyedInStepBecomeOneCopiedRenditionEachWithSegmentsStartingTogether() throws Exception {
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/a"), 2);
        AtomicInteger asked = new AtomicInteger();
        TapPipeline p = pipeline(out, asked::incrementAndGet);
        try {
            feed(p, publish(p, layers, System.nanoTime()));
            p.finish();
        } finally {
            p.close();
        }
        List<Variant> variants = out.master().orElseThrow().variants();
        assertThat(variants).extracting(Variant::name).containsExactly("360p", "180p", "90p");
        assertThat(variants).extracting(v -> v.width() + "x" + v.height()).containsExactly("640x360", "320x180", "160x90");
        for (Variant v : variants) {
            byte[] sets = H264Depacketizer.parameterSets(layers.get(layerOf(v)).getFirst().data());
            assertThat(v.codecs()).as(v.name()).isEqualTo(StreamFormat.avcCodecString(sets) + ",mp4a.40.2");
        }
        assertThat(variants.get(0).bandwidth()).isGreaterThan(variants.get(1).bandwidth());
        assertThat(variants.get(1).bandwidth()).isGreaterThan(variants.get(2).bandwidth());
        assertThat(asked.get()).as("keyframes asked of all layers at once, before each boundary").isGreaterThanOrEqualTo(3);

        List<List<Long>> starts = new ArrayList<>();
        for (Variant v : variants) {
            Path rd = out.directory().resolve(v.name());
            String playlist = Files.readString(rd.resolve("index.m3u8"));
            List<Double> durations = TapPipelineTest.extinf(playlist);
            assertThat(durations).as(v.name()).hasSizeGreaterThanOrEqualTo(4);
            Path whole = TapPipelineTest.concat(rd, playlist);
            MediaProbe.Info info = MediaProbe.probe(whole);
            assertThat(info.width() + "x" + info.height()).isEqualTo(v.width() + "x" + v.height());
            assertThat(info.audioCodec()).isEqualTo("aac");
            // Copied, not re-encoded: a slice of the layer's own frame 40 is in the rendition byte for byte.
            byte[] slice = largestNal(layers.get(layerOf(v)).get(40).data());
            assertThat(indexOf(Files.readAllBytes(whole), slice)).as(v.name() + " carries the layer's slice as sent").isNotNegative();
            Mp4FragmentIndex idx = Mp4FragmentIndex.read(whole);
            starts.add(idx.fragments().stream().map(f -> Math.round(idx.seconds(f.startTicks()) * 1_000_000)).toList());
        }
        assertThat(starts.get(1)).as("segment starts, µs").isEqualTo(starts.get(0));
        assertThat(starts.get(2)).isEqualTo(starts.get(0));
    }

    @Test
    void layersThatNeverKeyTheSamePictureFallBackToTheLadder() throws Exception {
        // The 320x180 layer keys half a second off the others: its frames start 15 frames into its own GOP.
        List<List<SyntheticSource.Coded>> off = new ArrayList<>(layers);
        off.set(2, layers.get(2).subList(15, layers.get(2).size()).stream()
                .map(c -> new SyntheticSource.Coded(c.data(), c.ticks() - 15 * 3000, c.keyframe())).toList());
        LiveOutput out = new LiveOutput(7, "chan", dir.resolve("hls/chan/b"), 2);
        TapPipeline p = pipeline(out, () -> {});
        try {
            feed(p, publish(p, off, System.nanoTime()));
            p.finish();
        } finally {
            p.close();
        }
        assertThat(out.master()).as("the ladder, from the top layer").isPresent();
        assertThat(out.master().orElseThrow().variants()).extracting(Variant::name).containsExactly("source", "180p");
    }

    private static int layerOf(Variant v) { return Arrays.asList("90p", "360p", "180p").indexOf(v.name()); }

    private static byte[] largestNal(byte[] annexB) {
        return RtpPacketizer.splitAnnexB(annexB).stream().max(Comparator.comparingInt(n -> n.length)).orElseThrow();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
