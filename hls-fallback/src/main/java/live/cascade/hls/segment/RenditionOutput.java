package live.cascade.hls.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Puts one rendition on disk: initialization segments ({@code init-N.mp4}), media segments ({@code N.m4s}, N the
 * media sequence number) and {@code index.m3u8}, which is replaced atomically after each new segment so a reader
 * never sees half a playlist. Segments that slide out of the window are deleted a few segments later, so a player
 * that fetched the previous playlist can still download them.
 */
public final class RenditionOutput implements CmafSegmenter.Output {
    private static final int LINGER = 4;

    private final Path dir;
    private final String name;
    private final MediaPlaylist playlist;
    private final LongFunction<Instant> wallClock;
    private final Deque<Segment> expired = new ArrayDeque<>();
    private int initCount;
    private String mapUri;
    private long nextSequence;
    private long peakBitRate;
    private long totalBytes;
    private long totalMicros;
    private long totalFrames;
    private long segmentCount;

    /**
     * @param wallClock the wall-clock time of a timeline position (for {@code EXT-X-PROGRAM-DATE-TIME}), or null
     */
    public RenditionOutput(Path dir, String name, int window, int targetDuration, LongFunction<Instant> wallClock) {
        this.dir = dir;
        this.name = name;
        this.playlist = new MediaPlaylist(window, targetDuration);
        this.wallClock = wallClock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public void onInit(byte[] init) {
        String uri = "init-" + initCount++ + ".mp4";
        write(dir.resolve(uri), init);
        mapUri = uri;
    }

    @Override
    public void onSegment(byte[] data, long startMicros, long durationMicros, int videoFrames, boolean discontinuity) {
        long seq = nextSequence++;
        String uri = seq + ".m4s";
        write(dir.resolve(uri), data);
        Instant pdt = wallClock == null ? null : wallClock.apply(startMicros);
        Segment s = new Segment(seq, uri, mapUri, startMicros, durationMicros, discontinuity, pdt, data.length, videoFrames);
        List<Segment> removed = playlist.add(s);
        segmentCount++;
        totalBytes += data.length;
        totalMicros += durationMicros;
        totalFrames += videoFrames;
        peakBitRate = Math.max(peakBitRate, s.bitRate());
        writePlaylist();
        expired.addAll(removed);
        while (expired.size() > LINGER) delete(expired.removeFirst().uri());
    }

    /** Marks the playlist ended ({@code EXT-X-ENDLIST}): players stop asking for more. */
    public void end() {
        playlist.end();
        writePlaylist();
    }

    private void writePlaylist() {
        write(dir.resolve("index.m3u8"), playlist.render().getBytes(StandardCharsets.UTF_8));
    }

    private void delete(String uri) {
        try {
            Files.deleteIfExists(dir.resolve(uri));
        } catch (IOException e) {
            // Cleaned up with the whole directory when the broadcast's output is removed.
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code target} and moves it into place in one step. */
    static void write(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public String name() { return name; }

    public Path dir() { return dir; }

    public MediaPlaylist playlist() { return playlist; }

    public long segmentCount() { return segmentCount; }

    /** Highest per-segment bit rate so far (for BANDWIDTH). */
    public long peakBitRate() { return peakBitRate; }

    /** Average bit rate over all segments so far (for AVERAGE-BANDWIDTH). */
    public long averageBitRate() { return totalMicros <= 0 ? 0 : totalBytes * 8 * 1_000_000L / totalMicros; }

    /** Frames per second measured over all segments, 0 without video. */
    public double frameRate() { return totalMicros <= 0 ? 0 : totalFrames * 1_000_000.0 / totalMicros; }
}
