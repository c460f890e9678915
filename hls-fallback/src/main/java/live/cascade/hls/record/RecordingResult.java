package live.cascade.hls.record;

import java.nio.file.Path;

/**
 * What a recorder wrote.
 *
 * @param videoCodec     e.g. {@code h264}, {@code vp8}, or null
 * @param audioCodec     e.g. {@code opus}, or null
 * @param durationMicros from the first to the end of the last packet written
 * @param error          why it stopped early (null when it ran to the end of the broadcast)
 * @param diskFull       it stopped because the disk was full
 */
public record RecordingResult(Path file, Container container, String videoCodec, String audioCodec, int width, int height,
                              long durationMicros, long bytes, String error, boolean diskFull) {
    public boolean failed() { return error != null; }

    /** True when something playable was written. */
    public boolean hasMedia() { return durationMicros > 0 && bytes > 0; }
}
