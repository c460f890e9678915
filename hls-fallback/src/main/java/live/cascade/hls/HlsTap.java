package live.cascade.hls;

import live.cascade.hls.rtp.PacketQueue;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.PacketSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The in-process tap of one broadcast: a {@link PacketSink} on the channel's router that feeds the HLS ladder, the
 * recorder and restreaming (on a node with neither HLS nor recordings, a tap runs for restreaming alone, and only when
 * the channel has destinations). On the media worker it only copies each packet into a bounded queue (when the queue
 * is full the oldest packet is dropped and counted: the worker never waits). Everything else runs on the tap's own platform thread
 * (FFmpeg's JNI calls would pin a virtual thread's carrier for their whole duration), which drains the queue in
 * batches into the {@link TapPipeline}.
 */
public final class HlsTap implements PacketSink {
    private static final Logger LOG = LoggerFactory.getLogger(HlsTap.class);
    private static final int BATCH = 64;
    private static final long IDLE_WAIT_NANOS = 5_000_000L;

    private final long channelId;
    private final String slug;
    private final List<TrackParameters> tracks;
    private final HlsSettings settings;
    private final LiveOutput live;
    private final Runnable requestKeyframe;
    private final Runnable requestLayerKeyframes;
    /** {@code --hls-simulcast copy} and an H.264 simulcast publication: the tap also takes every layer as received. */
    private final boolean layers;
    private final TapMetrics metrics;
    private final RecordingHealth health;
    private final Clock clock;
    private final Consumer<FinishedRecording> onFinished;
    private final Consumer<HlsTap> onStopped;
    private final PacketQueue queue;
    private final Thread thread;
    private volatile boolean closing;
    /**
     * False once a tap that exists only for restreaming found the channel restreams nowhere: the worker then stops
     * copying packets (one volatile read per packet is all such a broadcast costs).
     */
    private volatile boolean wanted = true;
    private volatile TapPipeline pipeline;
    /** Set by {@link MediaTaps} before {@link #start}: the broadcast's restreaming, or null. */
    volatile live.cascade.hls.restream.RestreamStage restream;
    private long dropsReported;
    /** Lane thread only: the AudioSpecificConfig last queued (the ingest passes the same array until it changes). */
    private byte[] lastOriginalConfig;
    /** Lane thread only: the direct video's parameter sets last queued. */
    private byte[] lastDirectConfig;

    HlsTap(long channelId, String slug, List<TrackParameters> tracks, HlsSettings settings, LiveOutput live,
           Runnable requestKeyframe, TapMetrics metrics, RecordingHealth health, Clock clock, Consumer<FinishedRecording> onFinished,
           Consumer<HlsTap> onStopped) {
        this(channelId, slug, tracks, settings, live, requestKeyframe, requestKeyframe, metrics, health, clock, onFinished, onStopped);
    }

    HlsTap(long channelId, String slug, List<TrackParameters> tracks, HlsSettings settings, LiveOutput live,
           Runnable requestKeyframe, Runnable requestLayerKeyframes, TapMetrics metrics, RecordingHealth health, Clock clock,
           Consumer<FinishedRecording> onFinished, Consumer<HlsTap> onStopped) {
        this.requestLayerKeyframes = requestLayerKeyframes;
        this.layers = settings.simulcastCopy() && settings.liveEnabled() && !LayerRenditions.layersOf(tracks).isEmpty();
        this.channelId = channelId;
        this.slug = slug;
        this.tracks = List.copyOf(tracks);
        this.settings = settings;
        this.live = live;
        this.requestKeyframe = requestKeyframe;
        this.metrics = metrics;
        this.health = health;
        this.clock = clock;
        this.onFinished = onFinished;
        this.onStopped = onStopped;
        // Restreaming alone (no decode, no ladder) keeps up with far less: a quarter of the ring (the ring is
        // allocated when the broadcast starts, 1.5 kB a slot).
        this.queue = new PacketQueue(restreamOnly() ? Math.max(256, settings.queueCapacity() / 4) : settings.queueCapacity(), 1500);
        this.thread = Thread.ofPlatform().name("hls-tap-" + slug).daemon(true).unstarted(() -> {
            try {
                run();
            } finally {
                onStopped.accept(this);
            }
        });
    }

    void start() { thread.start(); }

    // ---------------------------------------------------------------- media worker side: copy and return

    @Override
    public void onRtp(MediaKind kind, byte[] buf, int off, int len) {
        if (!wanted) return;
        queue.offerRtp(kind, buf, off, len, System.nanoTime());
    }

    @Override
    public boolean wantsLayers() { return layers; }

    @Override
    public void onLayerRtp(MediaKind kind, int layer, byte[] buf, int off, int len) {
        if (!wanted || !layers) return;
        queue.offerLayerRtp(layer, buf, off, len, System.nanoTime());
    }

    @Override
    public void onLayerSenderReport(int layer, long ntpTimestamp, long rtpTimestamp) {
        if (!wanted || !layers) return;
        queue.offerLayerSenderReport(layer, ntpTimestamp, rtpTimestamp, System.nanoTime());
    }

    @Override
    public void onSenderReport(MediaKind kind, long ntpTimestamp, long rtpTimestamp) {
        if (!wanted) return;
        queue.offerSenderReport(kind, ntpTimestamp, rtpTimestamp, System.nanoTime());
    }

    @Override
    public void onPublisherAttached() {
        if (!wanted) return;
        queue.offerPublisherAttached(System.nanoTime());
    }

    /**
     * Lane thread (as the router's calls): the publisher's AAC as its encoder sent it (RTMP/SRT ingest), for HLS and
     * the recording; {@code config} is its AudioSpecificConfig, queued again only when it changes.
     */
    public void onOriginalAudio(byte[] config, byte[] frame, int off, int len, long rtpTimestamp) {
        if (!wanted) return;
        long now = System.nanoTime();
        if (config != lastOriginalConfig) {
            lastOriginalConfig = config;
            queue.offerOriginalAudio(PacketQueue.Type.ORIGINAL_AUDIO_CONFIG, config, 0, config.length, 0, now);
        }
        queue.offerOriginalAudio(PacketQueue.Type.ORIGINAL_AUDIO, frame, off, len, rtpTimestamp, now);
    }

    /**
     * Lane thread: one access unit of video the router does not carry (RTMP/SRT HEVC), Annex B, at decode time
     * {@code timestamp} (90 kHz) with presentation offset {@code composition}; {@code config} (its parameter sets) is
     * queued again only when it changes.
     */
    public void onDirectVideo(byte[] config, byte[] frame, int off, int len, long timestamp, int composition, boolean keyframe) {
        if (!wanted) return;
        long now = System.nanoTime();
        if (config != lastDirectConfig) {
            lastDirectConfig = config;
            queue.offerDirectVideo(PacketQueue.Type.DIRECT_VIDEO_CONFIG, config, 0, config.length, 0, 0, false, now);
        }
        queue.offerDirectVideo(PacketQueue.Type.DIRECT_VIDEO, frame, off, len, timestamp, composition, keyframe, now);
    }

    /** The broadcast ended: the tap finishes what is queued, ends its playlists and recording, then stops. */
    /** The settings this broadcast's tap runs with ({@code --hls-source auto} resolved for its publisher). */
    HlsSettings settings() { return settings; }

    public void close() {
        closing = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /** Waits up to {@code millis} for the tap's thread to finish (shutdown). */
    boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    public String slug() { return slug; }

    public LiveOutput live() { return live; }

    /** Each restream destination's status; empty when the channel restreams nowhere. */
    public java.util.List<live.cascade.hls.restream.RestreamStatus> restreamStatus() {
        live.cascade.hls.restream.RestreamStage r = restream;
        return r == null ? java.util.List.of() : r.status();
    }

    /** How this broadcast's recording is doing; empty until the tap's pipeline has started. */
    public java.util.Optional<RecordingState> recordingState() {
        TapPipeline p = pipeline;
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.recordingState());
    }

    /** Packets dropped because this tap fell behind. */
    public long queueDrops() { return queue.dropped(); }

    // ---------------------------------------------------------------- the tap's thread

    private void run() {
        if (restreamOnly() && (restream == null || !restream.load())) {
            // Neither HLS nor recording on this node, and the channel restreams nowhere: nothing to do.
            wanted = false;
            live.ended(clock.instant());
            return;
        }
        // Before FFmpeg starts any thread: they inherit this one's priority (see BackgroundPriority for why).
        BackgroundPriority.lowerCurrentThread(BackgroundPriority.TAP_NICE).ifPresent(why ->
                LOG.warn("channel {}: the HLS ladder runs at the media workers' priority and may delay them: {}", slug, why));
        TapPipeline p;
        try {
            p = new TapPipeline(channelId, slug, tracks, settings, live.directory(), live, requestKeyframe, requestLayerKeyframes,
                    metrics, health, clock);
            p.restream = restream;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("channel {}: HLS and recording are off for this broadcast: FFmpeg could not start: {}", slug, e.toString());
            drainUntilClosed();
            live.ended(clock.instant());
            return;
        }
        pipeline = p;
        PacketQueue.Slot[] batch = queue.newBatch(BATCH);
        try {
            while (true) {
                int n = queue.drainTo(batch);
                for (int i = 0; i < n; i++) handle(p, batch[i]);
                p.poll(System.nanoTime());
                backlog(p, queue.size());
                reportDrops();
                if (n == 0) {
                    if (closing && queue.isEmpty()) break;
                    queue.await(IDLE_WAIT_NANOS);
                }
            }
            FinishedRecording finished = p.finish();
            if (finished != null) onFinished.accept(finished);
        } catch (RuntimeException | Error e) {
            LOG.error("channel {}: the HLS tap stopped on an unexpected error; live WebRTC is not affected", slug, e);
            live.ended(clock.instant());
        } finally {
            reportDrops();
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("channel {}: releasing FFmpeg resources failed: {}", slug, e.toString());
            }
        }
    }

    private TapPipeline.Backlog backlog = TapPipeline.Backlog.NONE;
    private long lastSampleNanos;
    private int lastSample;

    /**
     * Sheds ladder work when the queue backs up and is not draining (sampled twice a second): a burst the tap works
     * off by itself (its start, a keyframe's worth of decoding) changes nothing. Over an eighth of the queue (about 1.5 s
     * of 720p media) and growing: half frame rate; over a quarter and growing, or over half at all: pause. Back to full
     * work once under a thirty-second. The pass-through rendition and the recording never shed anything.
     */
    private void backlog(TapPipeline p, int waiting) {
        int cap = settings.queueCapacity();
        long now = System.nanoTime();
        TapPipeline.Backlog next = backlog;
        if (waiting < cap / 32) {
            next = TapPipeline.Backlog.NONE;
        } else if (waiting > cap / 2) {
            next = TapPipeline.Backlog.FAR_BEHIND;
        } else if (now - lastSampleNanos >= 500_000_000L) {
            boolean growing = waiting >= lastSample;
            if (growing && waiting > cap / 4) next = TapPipeline.Backlog.FAR_BEHIND;
            else if (growing && waiting > cap / 8 && backlog == TapPipeline.Backlog.NONE) next = TapPipeline.Backlog.BEHIND;
            lastSampleNanos = now;
            lastSample = waiting;
        }
        if (next != backlog) {
            backlog = next;
            p.setBacklog(next);
        }
    }

    private void handle(TapPipeline p, PacketQueue.Slot s) {
        switch (s.type()) {
            case RTP -> {
                metrics.packets.increment();
                p.onRtp(s.kind(), s.data(), 0, s.length(), s.arrivalNanos());
            }
            case SENDER_REPORT -> p.onSenderReport(s.kind(), s.ntpTimestamp(), s.rtpTimestamp(), s.arrivalNanos());
            case PUBLISHER_ATTACHED -> p.onPublisherAttached();
            case ORIGINAL_AUDIO_CONFIG -> p.onOriginalAudioConfig(s.data(), s.length());
            case ORIGINAL_AUDIO -> p.onOriginalAudio(s.data(), s.length(), s.rtpTimestamp());
            case DIRECT_VIDEO_CONFIG -> p.onDirectVideoConfig(s.data(), s.length());
            case LAYER_RTP -> p.onLayerRtp(s.layer(), s.data(), s.length(), s.arrivalNanos());
            case LAYER_SENDER_REPORT -> p.onLayerSenderReport(s.layer(), s.ntpTimestamp(), s.rtpTimestamp());
            case DIRECT_VIDEO -> {
                metrics.packets.increment();
                p.onDirectVideo(s.data(), s.length(), s.rtpTimestamp(), s.composition(), s.keyframe(), s.arrivalNanos());
            }
        }
    }

    private void reportDrops() {
        long d = queue.dropped();
        if (d > dropsReported) {
            if (dropsReported == 0) LOG.warn("channel {}: the HLS tap fell behind and drops packets (counted in cascade_hls_tap_total{counter=\"queue_dropped_packets\"})", slug);
            metrics.queueDrops.add(d - dropsReported);
            dropsReported = d;
        }
    }

    /** True when this node makes neither HLS nor recordings: the tap is there for restreaming alone. */
    private boolean restreamOnly() {
        return !settings.liveEnabled() && !settings.recordingEnabled();
    }

    /** Without a pipeline: keep the queue empty until the broadcast ends. */
    private void drainUntilClosed() {
        PacketQueue.Slot[] batch = queue.newBatch(BATCH);
        while (!closing || !queue.isEmpty()) {
            if (queue.drainTo(batch) == 0) queue.await(IDLE_WAIT_NANOS * 20);
        }
    }
}
