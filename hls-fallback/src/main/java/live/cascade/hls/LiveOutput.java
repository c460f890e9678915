package live.cascade.hls;

import live.cascade.hls.llhls.LowLatencyOutput;

import live.cascade.hls.segment.MasterPlaylist;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One broadcast's live HLS output as the HTTP layer sees it: the master playlist (once every rendition has a segment),
 * the rendition directories, and the thumbnail. Written by the tap's thread, read by request threads.
 */
public final class LiveOutput {
    private static final Pattern RENDITION = Pattern.compile("[a-z0-9]{1,16}");
    private static final Pattern FILE = Pattern.compile("index\\.m3u8|init-\\d{1,6}\\.mp4|\\d{1,12}\\.m4s");

    private final long channelId;
    private final String slug;
    private final Path dir;
    private volatile MasterPlaylist master;
    private volatile boolean thumbnail;
    private volatile Instant endedAt;
    private volatile int targetDuration;
    private volatile LowLatencyOutput lowLatency;

    LiveOutput(long channelId, String slug, Path dir, int targetDuration) {
        this.channelId = channelId;
        this.slug = slug;
        this.dir = dir;
        this.targetDuration = targetDuration;
    }

    public String slug() { return slug; }

    public long channelId() { return channelId; }

    /**
     * This broadcast's output id (its directory's name): part of every rendition URI, so a cache never mixes up two
     * broadcasts of one channel.
     */
    public String id() { return dir.getFileName().toString(); }

    public Path directory() { return dir; }

    /** The master playlist, once every rendition has at least one segment. */
    public Optional<MasterPlaylist> master() { return Optional.ofNullable(master); }

    void master(MasterPlaylist m) { this.master = m; }

    /** The file of a rendition ({@code index.m3u8}, {@code init-N.mp4}, {@code N.m4s}), or empty for any other name. */
    public Optional<Path> renditionFile(String rendition, String file) {
        if (!RENDITION.matcher(rendition).matches() || !FILE.matcher(file).matches()) return Optional.empty();
        MasterPlaylist m = master;
        if (m == null || m.variants().stream().noneMatch(v -> v.name().equals(rendition))) return Optional.empty();
        return Optional.of(dir.resolve(rendition).resolve(file));
    }

    public Optional<Path> thumbnail() { return thumbnail ? Optional.of(dir.resolve("thumbnail.jpg")) : Optional.empty(); }

    void thumbnailWritten() { this.thumbnail = true; }

    /** When the broadcast ended (the playlists then carry ENDLIST), or null while live. */
    public Instant endedAt() { return endedAt; }

    void ended(Instant at) { this.endedAt = at; }

    public boolean live() { return endedAt == null; }

    /** The broadcast's low-latency HLS (parts, blocking reloads), when this node makes it. */
    public Optional<LowLatencyOutput> lowLatency() { return Optional.ofNullable(lowLatency); }

    void lowLatency(LowLatencyOutput ll) { this.lowLatency = ll; }

    /** The segment target in seconds (how often players reload playlists). */
    public int targetDuration() { return targetDuration; }
}
