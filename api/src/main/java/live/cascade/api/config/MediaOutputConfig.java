package live.cascade.api.config;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.ladder.SourceVideo;

import java.time.Duration;
import java.util.List;

/**
 * What a node does with broadcasts besides WebRTC: the live HLS ladder and the recordings.
 *
 * @param ladder                 the HLS renditions; empty when live HLS is off
 * @param encoder                {@code libx264} or {@code h264_nvenc}
 * @param recordings             record broadcasts
 * @param retentionUnpublished   how long drafts are kept; zero keeps them
 * @param retentionPublished     how long published recordings are kept after publication; zero keeps them
 * @param partTarget             low-latency HLS part target; zero when low-latency HLS is off
 * @param timestampJumpThreshold a step between two frames' timestamps beyond this is a clock jump (re-anchored)
 * @param simulcastCopy          HLS renditions from an H.264 simulcast publisher's layers, copied ({@code --hls-simulcast copy})
 * @param sourceVideo            how the HLS source rendition of an H.264 publisher is made ({@code --hls-source})
 */
public record MediaOutputConfig(List<Rung> ladder, String encoder, boolean recordings, Duration retentionUnpublished,
                                Duration retentionPublished, Duration partTarget, Duration timestampJumpThreshold,
                                boolean simulcastCopy, SourceVideo sourceVideo) {
    public MediaOutputConfig {
        ladder = List.copyOf(ladder);
    }

    public boolean lowLatencyEnabled() { return hlsEnabled() && !partTarget.isZero(); }

    public boolean hlsEnabled() { return !ladder.isEmpty(); }
}
