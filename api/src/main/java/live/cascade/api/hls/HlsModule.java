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
import live.cascade.db.Database;
import live.cascade.hls.MediaTaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
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
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("hls-background").factory());

    public HlsModule(CascadeConfig config, Database db, DatabaseWriteQueue writes, Authenticator auth, MediaTaps taps, ViewerCounts counts,
                     PlaybackTokens tokens, TokenRefusals refusals, Clock clock, live.cascade.api.access.ViewerAccess access) {
        this.taps = taps;
        int target = (int) Math.max(1, taps.settings().segmentTarget().toSeconds());
        // A player reloads its playlist about once per target duration; three missed reloads and it has gone.
        this.viewers = new HlsViewers(db, writes, counts, clock, Duration.ofSeconds(3L * target + 4), config.playback().hlsViewersPerIp());
        this.hls = new HlsResource(taps, viewers, tokens, refusals, access);
        RecordingFiles files = new RecordingFiles(config.dataDir());
        var out = config.mediaOutput();
        this.recordings = new RecordingResource(db, auth, files, tokens, refusals, clock, out.retentionUnpublished(), out.retentionPublished(), access);
        this.cleaner = new RecordingCleaner(db, files, clock, out.retentionUnpublished(), out.retentionPublished());
        background.scheduleWithFixedDelay(() -> viewers.sweep(taps::live), 1, 1, TimeUnit.SECONDS);
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

    public void routes(JavalinConfig cfg) {
        hls.routes(cfg);
        recordings.routes(cfg);
    }

    public ReadinessComponent readiness() { return new RecordingReadiness(taps); }

    public void bindMetrics(MeterRegistry registry) { HlsMetrics.bind(taps, viewers, registry); }

    public HlsViewers viewers() { return viewers; }

    public RecordingCleaner cleaner() { return cleaner; }

    @Override
    public void close() {
        background.shutdownNow();
        recordings.close();
        viewers.close();
    }
}
