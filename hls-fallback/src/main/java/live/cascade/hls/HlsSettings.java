package live.cascade.hls;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.ladder.SourceVideo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How taps work on this node.
 *
 * @param hlsRoot           where live HLS output goes (one directory per broadcast, deleted after it ends)
 * @param recordingsRoot    where recordings go
 * @param ladder            the configured renditions ({@code source,720p,480p,360p})
 * @param encoder           {@code libx264} or {@code h264_nvenc}
 * @param preset            libx264 preset ({@code veryfast})
 * @param segmentTarget     target segment duration
 * @param window            segments in a live playlist
 * @param thumbnailInterval how often the live thumbnail is refreshed
 * @param liveEnabled       produce the live HLS ladder
 * @param recordingEnabled  record broadcasts
 * @param queueCapacity     packets a tap may hold before dropping the oldest
 * @param maxFrameRate      encoded renditions never exceed it
 * @param audioBitRate      AAC bits per second
 * @param linger            how long an ended broadcast's HLS output stays servable (players reach the end)
 * @param jumpThreshold     a step between two frames' timestamps beyond this is a clock jump, re-anchored (a discontinuity)
 * @param simulcastCopy     when the publisher sends H.264 simulcast, the renditions are its layers copied (no encoding),
 *                          cut where every layer has a keyframe; otherwise (VP8, one layer) the ladder as configured
 * @param sourceVideo       how the source rendition of an H.264 publisher is made ({@code --hls-source}): passed through,
 *                          or encoded at the source's size with keyframes of its own (none asked of the publisher for
 *                          the segments); {@link SourceVideo#AUTO} is resolved per publisher by {@link MediaTaps}
 */
public record HlsSettings(Path hlsRoot, Path recordingsRoot, List<Rung> ladder, String encoder, String preset,
                          Duration segmentTarget, int window, Duration thumbnailInterval, boolean liveEnabled,
                          boolean recordingEnabled, int queueCapacity, int maxFrameRate, long audioBitRate, Duration linger,
                          Duration jumpThreshold, boolean simulcastCopy, SourceVideo sourceVideo) {
    public HlsSettings {
        Objects.requireNonNull(sourceVideo, "sourceVideo");
        Objects.requireNonNull(hlsRoot, "hlsRoot");
        Objects.requireNonNull(recordingsRoot, "recordingsRoot");
        ladder = List.copyOf(ladder);
        if (ladder.isEmpty()) throw new IllegalArgumentException("empty ladder");
        if (!encoder.equals("libx264") && !encoder.equals("h264_nvenc")) throw new IllegalArgumentException("encoder must be libx264 or h264_nvenc");
        if (segmentTarget.toMillis() < 500) throw new IllegalArgumentException("segment target below 500 ms");
        if (window < 3) throw new IllegalArgumentException("window below 3 segments");
        if (jumpThreshold.toMillis() < 100) throw new IllegalArgumentException("timestamp jump threshold below 100 ms");
    }

    /** As the canonical constructor, with {@code simulcastCopy} off and the source copied. */
    public HlsSettings(Path hlsRoot, Path recordingsRoot, List<Rung> ladder, String encoder, String preset,
                       Duration segmentTarget, int window, Duration thumbnailInterval, boolean liveEnabled,
                       boolean recordingEnabled, int queueCapacity, int maxFrameRate, long audioBitRate, Duration linger,
                       Duration jumpThreshold) {
        this(hlsRoot, recordingsRoot, ladder, encoder, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, false, SourceVideo.COPY);
    }

    /** Defaults under {@code dataDir}: {@code hls/} and {@code recordings/}. */
    public static HlsSettings defaults(Path dataDir) {
        return new HlsSettings(dataDir.resolve("hls"), dataDir.resolve("recordings"), Rung.parseLadder("source,720p,480p,360p"),
                "libx264", "veryfast", Duration.ofSeconds(2), 6, Duration.ofSeconds(30), true, true, 4096, 30, 128_000,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    public HlsSettings withLadder(List<Rung> l) {
        return new HlsSettings(hlsRoot, recordingsRoot, l, encoder, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, simulcastCopy, sourceVideo);
    }

    public HlsSettings withEncoder(String e) {
        return new HlsSettings(hlsRoot, recordingsRoot, ladder, e, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, simulcastCopy, sourceVideo);
    }

    public HlsSettings withEnabled(boolean live, boolean recording) {
        return new HlsSettings(hlsRoot, recordingsRoot, ladder, encoder, preset, segmentTarget, window, thumbnailInterval, live,
                recording, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, simulcastCopy, sourceVideo);
    }

    public HlsSettings withJumpThreshold(Duration d) {
        return new HlsSettings(hlsRoot, recordingsRoot, ladder, encoder, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, d, simulcastCopy, sourceVideo);
    }

    public HlsSettings withSimulcastCopy(boolean on) {
        return new HlsSettings(hlsRoot, recordingsRoot, ladder, encoder, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, on, sourceVideo);
    }

    public HlsSettings withSourceVideo(SourceVideo v) {
        return new HlsSettings(hlsRoot, recordingsRoot, ladder, encoder, preset, segmentTarget, window, thumbnailInterval, liveEnabled,
                recordingEnabled, queueCapacity, maxFrameRate, audioBitRate, linger, jumpThreshold, simulcastCopy, v);
    }

    /** The segment target in whole seconds, at least 1: what playlists announce as their target duration. */
    public int targetDurationSeconds() {
        return (int) Math.max(1, Math.round(segmentTarget.toMillis() / 1000.0));
    }
}
