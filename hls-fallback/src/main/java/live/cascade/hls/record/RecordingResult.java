package live.cascade.hls.record;

import java.nio.file.Path;
import java.util.List;

/**
 * What a recorder wrote.
 *
 * @param videoCodec     e.g. {@code h264}, {@code vp8}, or null
 * @param audioCodec     e.g. {@code opus}, or null
 * @param durationMicros from the first to the end of the last packet written
 * @param error          why it stopped early (null when it ran to the end of the broadcast)
 * @param diskFull       it stopped because the disk was full
 * @param parts          the files, in order: {@code file} alone, or more when the recording had to continue in a new part
 * @param droppedPackets packets the muxer refused (dropped, the recording went on)
 */
public record RecordingResult(Path file, Container container, String videoCodec, String audioCodec, int width, int height,
                              long durationMicros, long bytes, String error, boolean diskFull, List<Path> parts,
                              long droppedPackets) {
    public RecordingResult {
        parts = List.copyOf(parts);
    }

    public boolean failed() { return error != null; }

    /** Times the recording continued in a new part. */
    public int recoveries() { return Math.max(0, parts.size() - 1); }

    /** True when something playable was written. */
    public boolean hasMedia() { return durationMicros > 0 && bytes > 0; }
}
