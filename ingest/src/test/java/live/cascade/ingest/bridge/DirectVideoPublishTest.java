package live.cascade.ingest.bridge;

import live.cascade.ingest.flv.FlvFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.PacketSink;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastSettings;
import live.cascade.signaling.session.BroadcastTap;
import live.cascade.signaling.session.ChannelRef;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enhanced-RTMP HEVC and AV1 publishes through {@link RouterPublishers} into a real broadcast: the bundled FFmpeg writes
 * 3 s of libx265 (two B-frames) or libsvtav1 and AAC into FLV (FFmpeg 8's muxer: the {@code hvc1} and {@code av01}
 * FourCCs), whose tags go in as an RTMP connection's would. The router declares the Opus alone; the tap is told of the
 * video track and gets every frame (HEVC as Annex B with its decode time and composition offset and the parameter
 * sets; AV1 as its OBUs, a sequence header in every keyframe, and the AV1CodecConfigurationRecord), a report, and the
 * AAC as sent; the creator is told the video goes to HLS and the recording only.
 */
class DirectVideoPublishTest {
    static final ChannelRef CHANNEL = new ChannelRef(5, "hevc");

    record Direct(int configLength, byte[] frame, long ts, int composition, boolean key) {}

    @TempDir
    Path tmp;
    private MediaEngine engine;
    private BroadcastService service;
    private final List<List<TrackParameters>> tapTracks = new CopyOnWriteArrayList<>();
    private final List<Direct> direct = new CopyOnWriteArrayList<>();
    private final List<Long> reports = new CopyOnWriteArrayList<>();
    private final List<Integer> aacConfigs = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private IngestStatus status;

    @BeforeEach
    void start() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(lo).withBasePort(0).withWorkerCount(1)
                .withAdvertisedAddresses(List.of(lo)));
        service = new BroadcastService(engine, BroadcastSettings.DEFAULTS, new BroadcastListener() {}, (channel, tracks, keyframe) -> {
            tapTracks.add(tracks);
            return Optional.of(new BroadcastTap() {
                @Override public PacketSink sink() { return (kind, buf, off, len) -> { }; }
                @Override public void originalAudio(byte[] config, byte[] frame, int off, int len, long ts) { aacConfigs.add(config.length); }
                @Override public void directVideo(byte[] config, byte[] frame, int off, int len, long ts, int composition, boolean key) {
                    direct.add(new Direct(config.length, java.util.Arrays.copyOfRange(frame, off, off + len), ts, composition, key));
                }
                @Override public void directVideoReport(long ntp, long ts) { reports.add(ts); }
                @Override public void close() { }
            });
        });
    }

    @AfterEach
    void stop() {
        service.close();
        engine.close();
    }

    @Test
    void hevcFramesGoToTheTapDirectlyAndTheRouterCarriesTheAudio() throws Exception {
        List<FlvFile.Tag> tags = publish(encode(tmp.resolve("hevc.flv"), "-c:v", "libx265", "-pix_fmt", "yuv420p", "-preset",
                "ultrafast", "-bf", "2", "-g", "30", "-x265-params", "log-level=error:pools=1:frame-threads=1:scenecut=0:open-gop=0"));
        assertThat(status.video()).matches("HEVC Main, level \\d(\\.\\d)?");
        assertThat(status.warnings()).containsExactly(DirectVideo.note("HEVC"));
        assertThat(tapTracks).singleElement().satisfies(t -> assertThat(t).extracting(x -> x.codec().name()).containsExactly("H265", "opus"));
        assertThat(direct).hasSize(frames(tags));
        assertThat(direct.getFirst().key()).isTrue();
        assertThat(direct.getFirst().configLength()).as("VPS, SPS and PPS as Annex B").isGreaterThan(30);
        assertThat(direct).allSatisfy(d -> assertThat(d.frame()).startsWith(0, 0, 0, 1));
        assertThat(direct.stream().filter(Direct::key).count()).as("a keyframe a second").isEqualTo(3);
        assertThat(direct.stream().anyMatch(d -> d.composition() > 0)).as("B-frames keep their composition offsets").isTrue();
        commonChecks();
    }

    @Test
    void av1FramesGoToTheTapDirectlyWithTheirConfigurationRecord() throws Exception {
        List<FlvFile.Tag> tags = publish(encode(tmp.resolve("av1.flv"), "-c:v", "libsvtav1", "-pix_fmt", "yuv420p", "-preset", "12",
                "-g", "30", "-svtav1-params", "lp=1"));
        assertThat(status.video()).matches("AV1 Main, level \\d\\.\\d");
        assertThat(status.warnings()).containsExactly(DirectVideo.note("AV1"));
        assertThat(tapTracks).singleElement().satisfies(t -> assertThat(t).extracting(x -> x.codec().name()).containsExactly("AV1", "opus"));
        assertThat(direct).hasSize(frames(tags));
        assertThat(direct.getFirst().key()).isTrue();
        assertThat(direct.getFirst().configLength()).as("the AV1CodecConfigurationRecord with its sequence header OBU").isGreaterThan(4);
        // Every keyframe carries a sequence header OBU (type 1), the encoder's own or the record's put in front.
        assertThat(direct.stream().filter(Direct::key)).allSatisfy(d -> assertThat(obuTypes(d.frame())).contains(1));
        assertThat(direct.stream().filter(Direct::key).count()).as("a keyframe a second").isEqualTo(3);
        assertThat(direct).allSatisfy(d -> assertThat(d.composition()).isZero());
        commonChecks();
    }

    private List<FlvFile.Tag> publish(Path flv) throws Exception {
        List<FlvFile.Tag> tags = FlvFile.tags(flv);
        RouterPublishers publishers = new RouterPublishers(service);
        StreamPublisher p = publishers.open(CHANNEL, new StreamPublishers.PublishEvents() {
            @Override public void warning(String code, String detail) { warnings.add(code); }
            @Override public void ended(String why) { }
            @Override public void refused(String detail) { }
        }, Runnable::run);
        for (FlvFile.Tag t : tags) {
            if (t.type() == FlvFile.VIDEO) p.video(t.timestamp(), t.body());
            else p.audio(t.timestamp(), t.body());
        }
        engine.lane(Long.toString(CHANNEL.id())).call(() -> null); // every hop to the lane has run
        status = publishers.status(CHANNEL.id()).orElseThrow();
        assertThat(status.webrtcVideo()).isFalse();
        assertThat(status.audio()).isEqualTo("AAC → Opus");
        assertThat(warnings).containsExactly(DirectVideo.CODE);
        p.close();
        return tags;
    }

    private void commonChecks() {
        for (int i = 1; i < direct.size(); i++) assertThat(direct.get(i).ts()).isGreaterThan(direct.get(i - 1).ts());
        assertThat(reports).as("a report a second, on the frames' clock").hasSizeBetween(2, 4);
        assertThat(aacConfigs).as("the AAC as sent (its AudioSpecificConfig beside each frame) reaches the tap beside the Opus")
                .hasSizeGreaterThan(100).allMatch(n -> n >= 2);
    }

    private static int frames(List<FlvFile.Tag> tags) {
        return (int) tags.stream().filter(t -> t.type() == FlvFile.VIDEO)
                .filter(t -> live.cascade.ingest.flv.VideoTag.parse(t.body()).packetType() == live.cascade.ingest.flv.VideoTag.FRAMES).count();
    }

    /** The OBU types of an AV1 temporal unit whose OBUs all carry their sizes. */
    static List<Integer> obuTypes(byte[] d) {
        List<Integer> types = new java.util.ArrayList<>();
        int p = 0;
        while (p < d.length) {
            int h = d[p] & 0xFF;
            types.add((h >> 3) & 0xF);
            int q = p + 1 + ((h & 4) != 0 ? 1 : 0);
            long size = 0;
            for (int i = 0; ; i++) {
                int b = d[q++] & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) break;
            }
            p = q + (int) size;
        }
        return types;
    }

    /** 3 s of a 320x240 30 fps test picture encoded with {@code video}, and a tone in AAC, into an FLV file. */
    private static Path encode(Path file, String... video) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> cmd = new java.util.ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "3"));
        cmd.addAll(List.of(video));
        cmd.addAll(List.of("-c:a", "aac", "-ar", "44100", "-ac", "2", "-f", "flv", file.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        Process proc = pb.start();
        String log = new String(proc.getInputStream().readAllBytes());
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(log).isZero();
        return file;
    }
}
