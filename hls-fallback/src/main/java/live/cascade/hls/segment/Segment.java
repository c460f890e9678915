package live.cascade.hls.segment;

import java.time.Instant;

/**
 * One media segment of a rendition's playlist.
 *
 * @param sequence       media sequence number
 * @param uri            relative to the playlist
 * @param mapUri         the initialization segment ({@code EXT-X-MAP}) it needs
 * @param startMicros    where it starts on the tap's timeline
 * @param durationMicros how long it plays
 * @param discontinuity  it follows a break in the timeline or the encoding (a publisher that reconnected)
 * @param programDateTime the wall-clock time of its first frame at the publisher, or null
 * @param bytes          size of the file
 * @param videoFrames    video frames it holds (0 for audio only)
 */
public record Segment(long sequence, String uri, String mapUri, long startMicros, long durationMicros,
                      boolean discontinuity, Instant programDateTime, long bytes, int videoFrames) {
    public double durationSeconds() { return durationMicros / 1_000_000.0; }

    /** Bits per second while it plays. */
    public long bitRate() { return durationMicros <= 0 ? 0 : bytes * 8 * 1_000_000L / durationMicros; }
}
