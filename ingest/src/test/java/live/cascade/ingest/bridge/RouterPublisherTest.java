package live.cascade.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import live.cascade.ingest.BFramePolicy;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.ingest.rtmp.RtmpConnection;
import live.cascade.ingest.rtmp.RtmpCounters;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.sfu.routing.TrackStats;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastSettings;
import live.cascade.signaling.session.BroadcastState;
import live.cascade.signaling.session.ChannelRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FFmpeg's and OBS's recorded RTMP publishes (see CapturedStreamTest) through the real connection handler and
 * {@link RouterPublishers} into a real router: the channel goes live, both tracks receive RTP (H.264 packetized, AAC
 * transcoded to Opus), keyframes are seen, the profile from the sequence header is what the track declares, and the
 * end of the publish starts the grace period.
 */
class RouterPublisherTest {
    static final ChannelRef CHANNEL = new ChannelRef(4, "replayed");
    private MediaEngine engine;
    private BroadcastService service;

    @BeforeEach
    void start() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(lo).withBasePort(0).withWorkerCount(1)
                .withAdvertisedAddresses(List.of(lo)));
        service = new BroadcastService(engine, BroadcastSettings.DEFAULTS, new BroadcastListener() {});
    }

    @AfterEach
    void stop() {
        service.close();
        engine.close();
    }

    /** Over SRT an MPEG-TS whose video the node cannot take (AV1, MPEG-2) says so in stream health, once. */
    @Test
    void videoTheNodeCannotTakeOverSrtIsExplainedInStreamHealth() {
        RouterPublishers publishers = new RouterPublishers(service);
        List<String> told = new java.util.ArrayList<>();
        StreamPublisher publisher = publishers.open(CHANNEL, new StreamPublishers.PublishEvents() {
            @Override public void warning(String code, String detail) { told.add(code); }
            @Override public void ended(String why) { }
            @Override public void refused(String detail) { }
            @Override public String protocol() { return "srt"; }
        }, Runnable::run);
        try {
            publisher.unsupportedVideo("av1");
            publisher.unsupportedVideo("av1");
            assertThat(told).containsExactly("NetStream.Publish.UnsupportedCodec");
            assertThat(publishers.status(CHANNEL.id())).get().satisfies(s -> assertThat(s.warnings()).singleElement()
                    .asString().contains("(av1)").contains("audio only").contains("RTMP"));
        } finally {
            publisher.close();
        }
    }

    @Test
    void aRecordedFfmpegPublishReachesTheRouterAsH264AndOpus() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/rtmp/ffmpeg-publish.bin")) {
            bytes = in.readAllBytes();
        }
        RouterPublishers publishers = new RouterPublishers(service);
        RtmpCounters counters = new RtmpCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpConnection(key -> new IngestGate.Admitted(CHANNEL), publishers,
                counters, Runnable::run));
        // Up to the end of the media: the last 300 bytes hold FCUnpublish and deleteStream.
        int media = bytes.length - 300;
        for (int off = 0; off < media; off += 1000) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, Math.min(1000, media - off)));
            ch.runPendingTasks();
        }
        assertThat(publishers.status(CHANNEL.id())).get().satisfies(s -> {
            assertThat(s.video()).isEqualTo("H264 (profile-level-id 42c00a)");
            assertThat(s.audio()).isEqualTo("AAC → Opus");
            assertThat(s.warnings()).isEmpty();
        });
        RouterStats stats = awaitPackets();
        TrackStats video = track(stats, MediaKind.VIDEO);
        TrackStats audio = track(stats, MediaKind.AUDIO);
        assertThat(video.packets()).isGreaterThanOrEqualTo(15);
        assertThat(video.keyframes()).isGreaterThanOrEqualTo(1);
        assertThat(audio.packets()).as("Opus packets, 20 ms each, from about 1 s of AAC").isGreaterThanOrEqualTo(30);
        assertThat(service.state(CHANNEL.id())).get().extracting(BroadcastState::phase).isEqualTo(BroadcastState.Phase.LIVE);
        assertThat(service.routerStats(CHANNEL.id()).orElseThrow().drops()).as("nothing dropped: %s", stats.drops())
                .allSatisfy((reason, n) -> assertThat(n).as(String.valueOf(reason)).isZero());

        ch.writeInbound(Unpooled.wrappedBuffer(bytes, media, bytes.length - media));
        ch.runPendingTasks();
        engine.lane(Long.toString(CHANNEL.id())).call(() -> null);
        assertThat(service.state(CHANNEL.id())).get().extracting(BroadcastState::phase).isEqualTo(BroadcastState.Phase.RECONNECTING);
        assertThat(publishers.status(CHANNEL.id())).isEmpty();
        assertThat(counters.protocolErrors()).isZero();
    }

    /**
     * OBS 29's recorded publish (see ObsCapturedStreamTest) reaches the router as H.264 Main and Opus; then an access
     * unit of x264's CBR filler alone: nothing goes to viewers for it and it is not counted as a broken tag.
     */
    @Test
    void anObsPublishReachesTheRouterAndFillerAloneSendsNothing() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/rtmp/obs-29-publish.bin")) {
            bytes = in.readAllBytes();
        }
        RouterPublishers publishers = new RouterPublishers(service);
        StreamPublisher[] opened = new StreamPublisher[1];
        StreamPublishers keep = (c, ev, t) -> opened[0] = publishers.open(c, ev, t);
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpConnection(key -> new IngestGate.Admitted(CHANNEL), keep,
                new RtmpCounters(), Runnable::run));
        int media = bytes.length - 125; // FCUnpublish and deleteStream
        for (int off = 0; off < media; off += 1000) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, Math.min(1000, media - off)));
            ch.runPendingTasks();
        }
        assertThat(publishers.status(CHANNEL.id())).get().satisfies(s -> {
            assertThat(s.video()).isEqualTo("H264 (profile-level-id 4d401e)");
            assertThat(s.audio()).isEqualTo("AAC → Opus");
            assertThat(s.warnings()).isEmpty();
        });
        awaitPackets();
        engine.lane(Long.toString(CHANNEL.id())).call(() -> null);
        TrackStats before = track(service.routerStats(CHANNEL.id()).orElseThrow(), MediaKind.VIDEO);
        assertThat(before.packets()).isGreaterThanOrEqualTo(106);
        assertThat(before.keyframes()).isGreaterThanOrEqualTo(3);

        byte[] fillerOnly = {0x27, 1, 0, 0, 0, 0, 0, 0, 6, 0x0C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x80};
        opened[0].video(3600, fillerOnly);
        engine.lane(Long.toString(CHANNEL.id())).call(() -> null);
        assertThat(track(service.routerStats(CHANNEL.id()).orElseThrow(), MediaKind.VIDEO).packets()).isEqualTo(before.packets());
        assertThat(publishers.malformedTags()).isZero();
        opened[0].close();
    }

    /** The same publish with its video tags left out: after half a second of AAC the channel goes live as audio only. */
    @Test
    void anAudioOnlyPublishGoesLiveWithItsAudioTrackAlone() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/rtmp/ffmpeg-publish.bin")) {
            bytes = in.readAllBytes();
        }
        RouterPublishers publishers = new RouterPublishers(service);
        live.cascade.ingest.StreamPublishers audioOnly = (c, ev, t) -> {
            live.cascade.ingest.StreamPublisher p = publishers.open(c, ev, t);
            return new live.cascade.ingest.StreamPublisher() {
                @Override public void video(long ts, byte[] tag) { }
                @Override public void audio(long ts, byte[] tag) { p.audio(ts, tag); }
                @Override public void close() { p.close(); }
            };
        };
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpConnection(key -> new IngestGate.Admitted(CHANNEL), audioOnly,
                new RtmpCounters(), Runnable::run));
        int media = bytes.length - 300;
        for (int off = 0; off < media; off += 1000) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, Math.min(1000, media - off)));
            ch.runPendingTasks();
        }
        assertThat(service.state(CHANNEL.id())).get().extracting(BroadcastState::phase).isEqualTo(BroadcastState.Phase.LIVE);
        assertThat(publishers.status(CHANNEL.id())).get().satisfies(s -> {
            assertThat(s.video()).isEqualTo("none (audio only)");
            assertThat(s.audio()).isEqualTo("AAC → Opus");
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        RouterStats stats = service.routerStats(CHANNEL.id()).orElseThrow();
        while (track(stats, MediaKind.AUDIO).packets() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = service.routerStats(CHANNEL.id()).orElseThrow();
        }
        assertThat(stats.tracks()).as("one track").extracting(TrackStats::kind).containsExactly(MediaKind.AUDIO);
        assertThat(track(stats, MediaKind.AUDIO).packets()).as("Opus from the AAC after the first half second").isGreaterThanOrEqualTo(10);
    }

    /**
     * {@code --ingest-bframes reject}: the same publish with a composition offset written into its frames (as B-frames
     * give) is refused at its first frame, before the channel ever goes live: an onStatus error naming B-frames and how
     * to turn them off, the connection closed, the refusal counted. Without the offset the deferred start goes live.
     */
    @Test
    void underRejectAPublishWithBFramesNeverGoesLive() throws Exception {
        RouterPublishers publishers = new RouterPublishers(service, BFramePolicy.REJECT);
        live.cascade.ingest.StreamPublishers withOffsets = (c, ev, t) -> {
            live.cascade.ingest.StreamPublisher p = publishers.open(c, ev, t);
            return new live.cascade.ingest.StreamPublisher() {
                @Override public void video(long ts, byte[] tag) {
                    // Legacy AVC coded frames: CTS is bytes 2-4; 33 ms is one frame of reordering.
                    if (tag.length > 5 && (tag[0] & 0x0F) == 7 && tag[1] == 1) {
                        tag = tag.clone();
                        tag[2] = 0;
                        tag[3] = 0;
                        tag[4] = 33;
                    }
                    p.video(ts, tag);
                }
                @Override public void audio(long ts, byte[] tag) { p.audio(ts, tag); }
                @Override public void close() { p.close(); }
            };
        };
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpConnection(key -> new IngestGate.Admitted(CHANNEL), withOffsets,
                new RtmpCounters(), Runnable::run));
        byte[] bytes = capture();
        StringBuilder sent = new StringBuilder();
        for (int off = 0; off < bytes.length - 300 && ch.isOpen(); off += 1000) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, Math.min(1000, bytes.length - 300 - off)));
            ch.runPendingTasks();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) o;
                sent.append(b.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                b.release();
            }
        }
        assertThat(ch.isOpen()).as("the connection is closed").isFalse();
        assertThat(sent.toString()).contains("NetStream.Publish.BFrames").contains("does not take streams with B-frames")
                .contains("bframes=0").contains("-bf 0");
        assertThat(service.state(CHANNEL.id())).as("never live").isEmpty();
        assertThat(publishers.bframeRejections()).isEqualTo(1);
        assertThat(publishers.bframePublishes()).isEqualTo(1);
        assertThat(publishers.status(CHANNEL.id())).isEmpty();

        RouterPublishers plain = new RouterPublishers(service, BFramePolicy.REJECT);
        EmbeddedChannel ok = new EmbeddedChannel(new RtmpConnection(key -> new IngestGate.Admitted(CHANNEL), plain,
                new RtmpCounters(), Runnable::run));
        for (int off = 0; off < bytes.length - 300; off += 1000) {
            ok.writeInbound(Unpooled.wrappedBuffer(bytes, off, Math.min(1000, bytes.length - 300 - off)));
            ok.runPendingTasks();
        }
        assertThat(service.state(CHANNEL.id())).as("no B-frames: live from the first frame").get()
                .extracting(BroadcastState::phase).isEqualTo(BroadcastState.Phase.LIVE);
        assertThat(plain.bframeRejections()).isZero();
        assertThat(awaitPackets().tracks()).hasSize(2);
    }

    @Test
    void onlyAacLcWithFullFramesIsPassedToTheTapAsItIs() {
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x12, 0x10})).as("LC 44.1 kHz stereo").isEqualTo(44_100);
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x11, (byte) 0x90})).as("LC 48 kHz stereo").isEqualTo(48_000);
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x12, 0x08})).as("LC 44.1 kHz mono").isEqualTo(44_100);
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x2B, (byte) 0x92, 0x08, 0x00})).as("HE-AAC").isZero();
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x12, 0x14})).as("960-sample frames").isZero();
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x12, 0x30})).as("5.1").isZero();
        assertThat(live.cascade.ingest.audio.AacPassThrough.rate(new byte[] {0x12})).isZero();
    }

    private byte[] capture() throws java.io.IOException {
        try (InputStream in = getClass().getResourceAsStream("/rtmp/ffmpeg-publish.bin")) {
            return in.readAllBytes();
        }
    }

    private RouterStats awaitPackets() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        RouterStats s;
        do {
            s = service.routerStats(CHANNEL.id()).orElseThrow();
            if (track(s, MediaKind.AUDIO).packets() >= 30) return s;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return s;
    }

    private static TrackStats track(RouterStats s, MediaKind kind) {
        return s.tracks().stream().filter(t -> t.kind() == kind).findFirst().orElseThrow();
    }
}
