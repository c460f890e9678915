package live.cascade.hls;

import live.cascade.hls.restream.RestreamCounters;
import live.cascade.hls.restream.RestreamStage;
import live.cascade.hls.restream.RestreamStatus;
import live.cascade.hls.restream.RestreamTargets;

import live.cascade.hls.llhls.LowLatencyOutput;
import live.cascade.hls.llhls.LowLatencySettings;
import live.cascade.hls.media.Ffmpeg;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node's taps: opens one per broadcast, knows each channel's current live HLS output for the HTTP layer, removes
 * an ended broadcast's output after it has lingered, and hands finished recordings to the {@link RecordingListener}.
 */
public final class MediaTaps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaTaps.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HlsSettings settings;
    private final LowLatencySettings lowLatency;
    private final RecordingListener listener;
    private final Clock clock;
    private final TapMetrics metrics = new TapMetrics();
    private final RestreamCounters restreamCounters = new RestreamCounters();
    private volatile RestreamTargets restreamTargets = RestreamTargets.NONE;
    private final RecordingHealth health = new RecordingHealth();
    private final ConcurrentHashMap<String, LiveOutput> live = new ConcurrentHashMap<>();
    private final Set<HlsTap> taps = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("hls-cleaner").factory());

    /** @param lowLatency how low-latency HLS parts are made, or null for plain HLS only */
    public MediaTaps(HlsSettings settings, LowLatencySettings lowLatency, RecordingListener listener, Clock clock) {
        this.lowLatency = lowLatency;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        // Live output never outlives its broadcast; anything here is from a previous run.
        deleteTree(settings.hlsRoot());
        // Loading FFmpeg takes seconds the first time (its libraries unpack to ~/.javacpp/cache): do it now, in the
        // background, rather than while the first broadcast's packets pile up in its tap.
        if (enabled()) preloadFfmpeg();
    }

    private static void preloadFfmpeg() {
        Thread.ofPlatform().daemon().name("ffmpeg-load").start(() -> {
            try {
                Ffmpeg.load();
                LOG.info("FFmpeg {} loaded for HLS, recordings and restreaming", Ffmpeg.version());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("FFmpeg cannot be loaded: broadcasts will have no HLS, no recording and no restreaming: {}", e.toString());
            }
        });
    }

    public HlsSettings settings() { return settings; }

    /** Low-latency HLS settings, empty when this node makes plain HLS only. */
    public Optional<LowLatencySettings> lowLatency() { return Optional.ofNullable(lowLatency); }

    /** True when this node makes live HLS or recordings. */
    public boolean enabled() { return settings.liveEnabled() || settings.recordingEnabled(); }

    /**
     * True when a new broadcast needs a tap: for HLS or recordings, or (on a node with both off) for restreaming, which
     * does not depend on either. Whether the channel restreams anywhere is read on the tap's own thread, not here (the
     * caller is a media worker); a tap that finds no destination stops at once.
     */
    public boolean tapsBroadcasts() { return enabled() || restreamTargets != RestreamTargets.NONE; }

    /**
     * Opens a tap for a new broadcast; cheap and non-blocking (FFmpeg starts on the tap's own thread), so the media
     * worker may call it.
     */
    public HlsTap open(long channelId, String slug, List<TrackParameters> tracks, Runnable requestKeyframe) {
        return open(channelId, slug, tracks, requestKeyframe, requestKeyframe);
    }

    /**
     * As {@link #open(long, String, List, Runnable)}; {@code requestLayerKeyframes} asks for a keyframe on every
     * simulcast layer at once (for {@code --hls-simulcast copy}). The publisher is taken for a WebRTC one.
     */
    public HlsTap open(long channelId, String slug, List<TrackParameters> tracks, Runnable requestKeyframe,
                       Runnable requestLayerKeyframes) {
        return open(channelId, slug, tracks, requestKeyframe, requestLayerKeyframes, true);
    }

    /**
     * As {@link #open(long, String, List, Runnable, Runnable)}, for a publisher that is a WebRTC peer or not (RTMP,
     * SRT): {@code --hls-source auto} encodes the source rendition of the first and copies the second's.
     */
    public HlsTap open(long channelId, String slug, List<TrackParameters> tracks, Runnable requestKeyframe,
                       Runnable requestLayerKeyframes, boolean webrtcPublisher) {
        HlsSettings tapSettings = settings.withSourceVideo(settings.sourceVideo().forPublisher(webrtcPublisher));
        Path dir = tapSettings.hlsRoot().resolve(slug).resolve(HexFormat.of().toHexDigits(RANDOM.nextLong()));
        LiveOutput out = new LiveOutput(channelId, slug, dir, tapSettings.targetDurationSeconds());
        // Two segments more than the plain playlist lists: its files stay a few segments longer, and delta updates
        // then have segments to skip.
        if (lowLatency != null && tapSettings.liveEnabled()) out.lowLatency(new LowLatencyOutput(lowLatency, tapSettings.window() + 2));
        HlsTap tap = new HlsTap(channelId, slug, tracks, tapSettings, out, requestKeyframe, requestLayerKeyframes, metrics, health, clock,
                this::deliver, this::stopped);
        tap.restream = new RestreamStage(channelId, slug, restreamTargets, restreamCounters);
        taps.add(tap);
        if (tapSettings.liveEnabled()) live.put(slug, out);
        tap.start();
        return tap;
    }

    /** A tap's thread ended: its output lingers for players reaching the end, then goes. */
    private void stopped(HlsTap tap) {
        taps.remove(tap);
        LiveOutput out = tap.live();
        try {
            cleaner.schedule(() -> {
                live.remove(out.slug(), out);
                deleteTree(out.directory());
            }, settings.linger().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            deleteTree(out.directory()); // shutting down
        }
    }

    private void deliver(FinishedRecording finished) {
        try {
            listener.onRecordingFinished(finished);
        } catch (RuntimeException e) {
            LOG.error("channel {}: the recording {} was written but could not be registered: {}", finished.slug(),
                    finished.result().file(), e.toString());
        }
    }

    /** Every live output that is still live (for work over all of them, such as copying their thumbnails). */
    public java.util.List<LiveOutput> liveOutputs() {
        return live.values().stream().filter(LiveOutput::live).toList();
    }

    /** The channel's current (or just ended, still lingering) live output. */
    public Optional<LiveOutput> live(String slug) { return Optional.ofNullable(live.get(slug)); }

    public TapMetrics metrics() { return metrics; }

    /** How the recording of the channel's live broadcast on this node is doing; empty when it has no tap here. */
    public Optional<RecordingState> recordingState(String slug) {
        for (HlsTap t : taps) if (t.slug().equals(slug)) return t.recordingState();
        return Optional.empty();
    }

    public RecordingHealth recordingHealth() { return health; }

    /** Where each channel's broadcasts are also sent (the api module reads the database); before broadcasts start. */
    public void restreamTargets(RestreamTargets targets) {
        this.restreamTargets = targets;
        if (!enabled() && targets != RestreamTargets.NONE) preloadFfmpeg(); // restreaming alone still needs it
    }

    public RestreamCounters restreamCounters() { return restreamCounters; }

    /** The channel's restream destinations on this node and how each is doing; empty when none or no tap here. */
    public List<RestreamStatus> restreamStatus(String slug) {
        for (HlsTap t : taps) if (t.slug().equals(slug)) return t.restreamStatus();
        return List.of();
    }

    public int activeTaps() { return taps.size(); }

    /** Waits (bounded) for taps of ended broadcasts to finish their recordings, then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (HlsTap t : List.copyOf(taps)) {
            t.close();
            try {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !t.await(left)) LOG.warn("channel {}: its tap did not finish in time; its recording may lack a trailer", t.slug());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        cleaner.shutdownNow();
        deleteTree(settings.hlsRoot());
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next start
                }
            });
        } catch (IOException e) {
            LOG.debug("could not clean {}: {}", root, e.toString());
        }
    }
}
