package live.cascade.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A publisher the node feeds itself (RTMP/SRT ingest) goes through the same broadcast lifecycle as a WHIP one. */
class LocalPublisherTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ChannelRef CHANNEL = new ChannelRef(9, "rtmp-channel");
    static final List<TrackParameters> TRACKS = List.of(
            new TrackParameters(MediaKind.VIDEO, "0", new Codec(102, "H264", 90000, 1,
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", List.of(), -1), 0x1111, 0, HeaderExtensions.NONE),
            new TrackParameters(MediaKind.AUDIO, "1", new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of(), -1),
                    0x2222, 0, HeaderExtensions.NONE));

    private MediaEngine engine;
    private BroadcastService service;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0).withWorkerCount(1)
                .withAdvertisedAddresses(List.of(LOOPBACK)));
        BroadcastSettings settings = new BroadcastSettings(Duration.ofSeconds(30), BroadcastSettings.DEFAULTS.admission(),
                BroadcastSettings.DEFAULTS.tickInterval(), BroadcastSettings.DEFAULTS.router());
        service = new BroadcastService(engine, settings, new BroadcastListener() {
            @Override public void onLive(ChannelRef c) { events.add("live"); }
            @Override public void onReconnecting(ChannelRef c) { events.add("reconnecting"); }
            @Override public void onResumed(ChannelRef c) { events.add("resumed"); }
            @Override public void onEnded(ChannelRef c) { events.add("ended"); }
        });
    }

    @AfterEach
    void stop() {
        service.close();
        engine.close();
    }

    static byte[] rtp(long ssrc, int seq, long ts, int pt, boolean marker, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (seq >>> 8); b[3] = (byte) seq;
        b[4] = (byte) (ts >>> 24); b[5] = (byte) (ts >>> 16); b[6] = (byte) (ts >>> 8); b[7] = (byte) ts;
        b[8] = (byte) (ssrc >>> 24); b[9] = (byte) (ssrc >>> 16); b[10] = (byte) (ssrc >>> 8); b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }

    private static void feed(LocalPublisher p, byte[] packet) {
        p.lane().call(() -> {
            p.rtp(packet, 0, packet.length);
            return null;
        });
    }

    @Test
    void itsRtpMakesTheChannelLiveAndLeavingStartsTheGracePeriod() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        LocalPublisher p = (LocalPublisher) service.publishLocal(CHANNEL, TRACKS, closed::countDown);
        assertThat(service.publisherSessions()).isEqualTo(1);
        assertThat(service.state(CHANNEL.id())).get().extracting(BroadcastState::phase).isEqualTo(BroadcastState.Phase.STARTING);

        feed(p, rtp(0x2222, 1, 960, 111, false, new byte[] {(byte) 0xFC, 1, 2}));
        assertThat(events).containsExactly("live");
        assertThat(service.routerStats(CHANNEL.id())).get().satisfies(s -> assertThat(s.publisherAttached()).isTrue());

        p.close();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.closed()).isTrue();
        engine.lane("9").call(() -> null); // the close ran on the lane before this
        assertThat(events).containsExactly("live", "reconnecting");
        assertThat(service.publisherSessions()).as("its admission slot is free again").isZero();

        LocalPublisher back = (LocalPublisher) service.publishLocal(CHANNEL, TRACKS, () -> { });
        assertThat(events).containsExactly("live", "reconnecting", "resumed");
        assertThat(service.stop(CHANNEL.id())).isTrue();
        assertThat(back.closed()).as("the owner's stop ends the local publisher too").isTrue();
        assertThat(events).containsExactly("live", "reconnecting", "resumed", "ended");
    }

    /** The tap is told its publisher is not a WebRTC peer, so {@code --hls-source auto} copies an RTMP/SRT encoder's video. */
    @Test
    void theTapOfALocalPublisherIsToldItIsNotAWebrtcPeer() {
        List<Boolean> webrtc = new CopyOnWriteArrayList<>();
        BroadcastTapFactory taps = new BroadcastTapFactory() {
            @Override
            public java.util.Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable keyframe) {
                throw new AssertionError("the factory is asked with the publisher's kind");
            }

            @Override
            public java.util.Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable keyframe,
                                                         Runnable layerKeyframes, boolean webrtcPublisher) {
                webrtc.add(webrtcPublisher);
                return java.util.Optional.empty();
            }
        };
        BroadcastService withTap = new BroadcastService(engine, BroadcastSettings.DEFAULTS, new BroadcastListener() {}, taps);
        try {
            withTap.publishLocal(CHANNEL, TRACKS, () -> { });
            assertThat(webrtc).containsExactly(false);
        } finally {
            withTap.close();
        }
    }

    /**
     * RTMP HEVC: the router carries the Opus alone, the tap is told of the HEVC track and gets its frames directly, a
     * WHEP offer for video is refused with a sentence pointing at HLS, and an audio-only offer is answered.
     */
    @Test
    void directVideoGoesToTheTapAloneAndWhepVideoOffersAreRefused() {
        TrackParameters hevc = new TrackParameters(MediaKind.VIDEO, "0", new Codec(102, "H265", 90000, 1, "", List.of(), -1), 0x1111, 0,
                HeaderExtensions.NONE);
        List<TrackParameters> opus = List.of(TRACKS.get(1));
        List<List<TrackParameters>> tapTracks = new CopyOnWriteArrayList<>();
        List<String> tapSaw = new CopyOnWriteArrayList<>();
        BroadcastTapFactory taps = (channel, tracks, keyframe) -> {
            tapTracks.add(tracks);
            return java.util.Optional.of(new BroadcastTap() {
                @Override public live.cascade.sfu.routing.PacketSink sink() { return (kind, buf, off, len) -> tapSaw.add("rtp " + kind); }
                @Override public void directVideo(byte[] config, byte[] frame, int off, int len, long ts, int composition, boolean key) {
                    tapSaw.add("video " + len + " at " + ts + "+" + composition + (key ? " key" : "") + " config " + config.length);
                }
                @Override public void directVideoReport(long ntp, long ts) { tapSaw.add("report " + ts); }
                @Override public void close() { }
            });
        };
        BroadcastService withTap = new BroadcastService(engine, BroadcastSettings.DEFAULTS, new BroadcastListener() {}, taps);
        try {
            LocalPublisher p = (LocalPublisher) withTap.publishLocal(CHANNEL, opus, List.of(hevc), () -> { });
            assertThat(tapTracks).singleElement().satisfies(t -> assertThat(t).containsExactly(hevc, TRACKS.get(1)));
            p.lane().call(() -> {
                p.directVideo(new byte[] {0, 0, 0, 1, 0x40}, new byte[] {9, 0, 0, 0, 1, 0x26, 1, 2}, 1, 7, 90_000, 3000, true);
                p.directVideoReport(123L << 32, 90_000);
                p.rtp(rtp(0x2222, 1, 960, 111, false, new byte[] {(byte) 0xFC, 1, 2}), 0, 15);
                return null;
            });
            assertThat(tapSaw).containsExactly("video 7 at 90000+3000 key config 5", "report 90000", "rtp AUDIO");

            String offer = live.cascade.signaling.Fixtures.text(live.cascade.signaling.Fixtures.CHROMIUM_VIEWER);
            assertThat(withTap.play(CHANNEL, offer)).isInstanceOfSatisfying(Refusal.class, r -> {
                assertThat(r.reason()).isEqualTo(Refusal.Reason.UNPROCESSABLE);
                assertThat(r.detail()).contains("HEVC").contains("/hls/rtmp-channel/master.m3u8");
            });
            String audioOnly = live.cascade.signaling.Fixtures.text(live.cascade.signaling.Fixtures.CHROMIUM_VIEWER_AUDIO_ONLY);
            assertThat(withTap.play(CHANNEL, audioOnly)).isInstanceOf(SessionCreated.class);
        } finally {
            withTap.close();
        }
    }

    @Test
    void aWhipStyleRefusalWhenThePublisherShareIsFull() {
        BroadcastService full = new BroadcastService(engine, new BroadcastSettings(Duration.ofSeconds(1),
                AdmissionLimits.split(2, 1, 10, 10), BroadcastSettings.DEFAULTS.tickInterval(), BroadcastSettings.DEFAULTS.router()),
                new BroadcastListener() {});
        try {
            assertThat(full.publishLocal(new ChannelRef(1, "a"), TRACKS, () -> { })).isInstanceOf(LocalPublisher.class);
            assertThat(full.publishLocal(new ChannelRef(2, "b"), TRACKS, () -> { })).isInstanceOfSatisfying(Refusal.class,
                    r -> assertThat(r.reason()).isEqualTo(Refusal.Reason.PUBLISHER_SHARE_FULL));
        } finally {
            full.close();
        }
    }
}
