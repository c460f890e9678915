package live.cascade.hls;

import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.record.Recorder;
import live.cascade.hls.record.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;

/**
 * The recording side of one broadcast's tap: opens the {@link Recorder} (at the first keyframe, or the first audio of
 * an audio-only broadcast), feeds it the sanitised frames, and tells everyone concerned what became of it: packets
 * its muxer refused and the parts it had to continue in (logged once, counted in {@code /metrics}, reported to
 * {@code /healthz}) and a stop (full disk). The studio reads {@link #state}. Tap thread only, except {@link #state}.
 */
final class RecordingStage {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);

    private final long channelId;
    private final String slug;
    private final HlsSettings settings;
    private final TapMetrics metrics;
    private final RecordingHealth health;
    private final FailureLog failures;
    private final Clock clock;
    private final Instant startedAt;
    private final int audioChannels; // 0: no audio
    private final Supplier<UnaryOperator<Path>> target;
    private Recorder recorder;
    private Path directory;
    private boolean failureReported;
    private long dropsReported;
    private int recoveriesReported;
    /** Replaced (never mutated) on the tap's thread; read by the studio's requests. */
    private volatile RecordingState state;

    /**
     * @param audioChannels Opus channels of the publication, 0 without audio
     * @param target        where a recording goes given where it would go (tests point it at {@code /dev/full})
     */
    RecordingStage(long channelId, String slug, HlsSettings settings, TapMetrics metrics, RecordingHealth health, FailureLog failures,
                   Clock clock, Instant startedAt, int audioChannels, Supplier<UnaryOperator<Path>> target) {
        this.channelId = channelId;
        this.slug = slug;
        this.settings = settings;
        this.metrics = metrics;
        this.health = health;
        this.failures = failures;
        this.clock = clock;
        this.startedAt = startedAt;
        this.audioChannels = audioChannels;
        this.target = target;
        this.state = new RecordingState(settings.recordingEnabled() ? RecordingState.Phase.WAITING : RecordingState.Phase.OFF,
                0, 0, null, null, 0);
    }

    /** Whether a recording was started (or tried) for this broadcast. */
    boolean opened() { return directory != null; }

    boolean recording() { return recorder != null; }

    /**
     * Starts the recording; {@code video} null for an audio-only broadcast, {@code originalAudio} the publisher's AAC
     * when the recording takes that instead of the Opus (RTMP/SRT ingest), else null.
     */
    void open(StreamFormat video, StreamFormat originalAudio) {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC).format(startedAt);
        directory = settings.recordingsRoot().resolve(Long.toString(channelId))
                .resolve(stamp + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6));
        StreamFormat audio = originalAudio != null ? originalAudio : audioChannels > 0 ? new StreamFormat(false, AV_CODEC_ID_OPUS, 0, 0, 48_000, audioChannels,
                StreamFormat.opusHead(audioChannels), 48_000, 0, 960, "opus") : null;
        String ext = video == null || video.codecId() != AV_CODEC_ID_VP8 ? "mp4" : "webm";
        try {
            recorder = new Recorder(target.get().apply(directory.resolve("recording." + ext)), video, audio);
            health.started();
            state = new RecordingState(RecordingState.Phase.RECORDING, 0, 0, null, null, 0);
        } catch (RuntimeException e) {
            failures.failed("recorder setup", e);
            state = new RecordingState(RecordingState.Phase.STOPPED, 0, 0, "recorder setup: " + e.getMessage(), null, 0);
        }
    }

    /** The first file, for the log line at the start. */
    String file() { return recorder == null ? "off" : recorder.file().toString(); }

    /** @param composition presentation minus decode time, 90 kHz ticks (direct HEVC with B-frames), else 0 */
    void video(byte[] data, long pts, boolean keyframe, int composition) {
        if (recorder == null) return;
        recorder.video(data, pts, keyframe, composition);
        check();
    }

    void audio(byte[] data, long pts) {
        if (recorder == null) return;
        recorder.audio(data, pts);
        check();
    }

    private void check() {
        if (recorder.droppedPackets() != dropsReported) {
            if (dropsReported == 0) {
                LOG.warn("channel {}: the recording's muxer refused a packet; it is dropped and the recording goes on (counted in "
                        + "cascade_hls_tap_total{counter=\"recording_dropped_packets\"})", slug);
            }
            metrics.recordingDroppedPackets.add(recorder.droppedPackets() - dropsReported);
            dropsReported = recorder.droppedPackets();
            publish();
        }
        if (recorder.recoveries() != recoveriesReported) {
            recoveriesReported = recorder.recoveries();
            metrics.recordingRecoveries.increment();
            int part = recoveriesReported + 1;
            health.recovered(slug, part, recorder.lastRecovery(), clock.instant());
            LOG.warn("channel {}: the recording's muxer kept refusing packets ({}); that part is closed and the recording "
                    + "continues in part {} at the next keyframe", slug, recorder.lastRecovery(), part);
            publish();
        }
        if (recorder.error() != null && !failureReported) {
            failureReported = true;
            metrics.recordingFailures.increment();
            health.failed(slug, recorder.error(), recorder.diskFull(), clock.instant());
            LOG.error("channel {}: recording stopped{}: {}; live HLS continues", slug, recorder.diskFull() ? " (disk full)" : "",
                    recorder.error());
            publish();
        }
    }

    private void publish() {
        RecordingState.Phase phase = recorder.error() != null ? RecordingState.Phase.STOPPED : RecordingState.Phase.RECORDING;
        state = new RecordingState(phase, recorder.recoveries(), recorder.droppedPackets(), recorder.error(), recorder.lastRecovery(), 0);
    }

    /** The recording as the studio shows it, with the broadcast's timestamp corrections so far; any thread. */
    RecordingState state(long timestampCorrections) {
        RecordingState s = state;
        return new RecordingState(s.phase(), s.recoveries(), s.droppedPackets(), s.error(), s.lastRecovery(), timestampCorrections);
    }

    /** Closes the recording at the end of the broadcast, with {@code thumbnail} as its poster; null when none was made. */
    FinishedRecording finish(byte[] thumbnail) {
        if (recorder == null) return null;
        RecordingResult r = recorder.finish();
        check();
        health.stopped(r.failed());
        Path poster = null;
        if (thumbnail != null) {
            try {
                Files.createDirectories(directory);
                poster = directory.resolve("thumbnail.jpg");
                Files.write(poster, thumbnail);
            } catch (IOException e) {
                poster = null;
            }
        }
        return new FinishedRecording(channelId, slug, directory, r, poster, startedAt, clock.instant());
    }

    void close() {
        if (recorder != null) recorder.close();
    }
}
