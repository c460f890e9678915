package live.cascade.api.hls;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.api.recordings.RecordingCleaner;
import live.cascade.api.recordings.RecordingFiles;
import live.cascade.api.recordings.RecordingResource;
import live.cascade.api.recordings.RecordingStorage;
import live.cascade.api.storage.LiveThumbnailUploads;
import live.cascade.api.storage.StorageMetrics;
import live.cascade.api.storage.StorageReadiness;
import live.cascade.db.Database;
import live.cascade.hls.MediaTaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of HLS and recordings: live HLS serving with viewer counting, the recordings API and playback, and
 * the background work (idle HLS viewers, the retention cleaner).
 */
public final class HlsModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HlsModule.class);

    private final MediaTaps taps;
    private final HlsViewers viewers;
    private final HlsResource hls;
    private final RecordingResource recordings;
    private final RecordingCleaner cleaner;
    private final RecordingStorage storage;
    private final StorageReadiness storageReadiness;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("hls-background").factory());
    private final ScheduledExecutorService liveStills = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("live-thumbnail-uploads").factory());

    public HlsModule(CascadeConfig config, Database db, DatabaseWriteQueue writes, Authenticator auth, MediaTaps taps, ViewerCounts counts,
                     PlaybackTokens tokens, TokenRefusals refusals, Clock clock, live.cascade.api.access.ViewerAccess access,
                     live.cascade.api.recordings.RecordingEvents recordingEvents,
                     java.util.function.Function<String, java.util.Optional<String>> originElsewhere) {
        this.taps = taps;
        int target = (int) Math.max(1, taps.settings().segmentTarget().toSeconds());
        // A player reloads its playlist about once per target duration; three missed reloads and it has gone.
        this.viewers = new HlsViewers(db, writes, counts, clock, Duration.ofSeconds(3L * target + 4), config.playback().hlsViewersPerIp());
        this.hls = new HlsResource(taps, viewers, tokens, refusals, access, originElsewhere);
        RecordingFiles files = new RecordingFiles(config.dataDir());
        try {
            this.storage = RecordingStorage.of(config.storage(), db, files, config.dataDir(), clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the upload queue in " + config.dataDir().resolve("uploads") + ": " + e.getMessage(), e);
        }
        var out = config.mediaOutput();
        this.recordings = new RecordingResource(db, auth, files, tokens, refusals, clock, out.retentionUnpublished(), out.retentionPublished(), access, storage, recordingEvents);
        this.cleaner = new RecordingCleaner(db, files, storage, clock, out.retentionUnpublished(), out.retentionPublished(), recordingEvents);
        this.storageReadiness = storage.store().map(s -> new StorageReadiness(s, storage.queue().orElseThrow(), clock)).orElse(null);
        background.scheduleWithFixedDelay(() -> viewers.sweep(taps::live), 1, 1, TimeUnit.SECONDS);
        if (storage.remote()) {
            storage.start();
            // Finished recordings and clips are found by their rows (storage_key still null) and queued for upload.
            background.scheduleWithFixedDelay(this::offerUploads, 0, 2, TimeUnit.SECONDS);
            background.scheduleWithFixedDelay(storageReadiness::probe, 0, 5, TimeUnit.SECONDS);
            // Live stills go up on their own thread: an upload that hangs must not hold up the viewer sweep.
            LiveThumbnailUploads stills = new LiveThumbnailUploads(storage.store().orElseThrow(), storage.keys(), () -> taps.liveOutputs().stream()
                    .flatMap(o -> o.thumbnail().map(p -> new LiveThumbnailUploads.Still(o.slug(), p)).stream()).toList());
            liveStills.scheduleWithFixedDelay(() -> {
                try {
                    stills.runOnce();
                } catch (RuntimeException e) {
                    LOG.warn("live thumbnail uploads failed: {}", e.toString());
                }
            }, 10, 10, TimeUnit.SECONDS);
        }
        long every = cleaner.interval().toMillis();
        background.scheduleWithFixedDelay(this::clean, every, every, TimeUnit.MILLISECONDS);
    }

    private void clean() {
        try {
            cleaner.runOnce();
        } catch (RuntimeException e) {
            LOG.warn("recording cleaner failed: {}", e.toString());
        }
    }

    private void offerUploads() {
        try {
            storage.offerLocal();
        } catch (RuntimeException e) {
            LOG.warn("cannot look for recordings to upload: {}", e.toString());
        }
    }

    public void routes(JavalinConfig cfg) {
        hls.routes(cfg);
        recordings.routes(cfg);
    }

    /** {@code recordings}, and {@code storage} with object storage. */
    public List<ReadinessComponent> readiness() {
        List<ReadinessComponent> out = new ArrayList<>();
        out.add(new RecordingReadiness(taps));
        if (storageReadiness != null) out.add(storageReadiness);
        return out;
    }

    public void bindMetrics(MeterRegistry registry) {
        HlsMetrics.bind(taps, viewers, registry);
        storage.queue().ifPresent(q -> StorageMetrics.bind(registry, q, storage::bytesUploaded));
    }

    public RecordingStorage storage() { return storage; }

    public HlsViewers viewers() { return viewers; }

    public RecordingCleaner cleaner() { return cleaner; }

    @Override
    public void close() {
        background.shutdownNow();
        liveStills.shutdownNow();
        recordings.close();
        storage.close();
        viewers.close();
    }
}
