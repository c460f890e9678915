package live.cascade.hls.segment;

import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A rendition's media playlist (RFC 8216bis §4.4.3) over a sliding window of {@link Segment}s, fMP4 segments with
 * {@code EXT-X-MAP}. Live until {@link #end()}, which adds {@code EXT-X-ENDLIST}.
 *
 * <p>The target duration is the configured segment target, raised (never lowered) when a segment turns out longer,
 * which happens only when the publisher's keyframes are further apart than the target and the rendition is passed
 * through. Low-latency HLS will add partial segments to this model ({@code EXT-X-PART}, preload hints); the segment
 * list and window already work the way it needs.
 */
public final class MediaPlaylist {
    private final int window;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private int targetDuration;
    private long discontinuitySequence;
    private boolean ended;

    /**
     * @param window         segments kept in the playlist
     * @param targetDuration the configured target, whole seconds
     */
    public MediaPlaylist(int window, int targetDuration) {
        if (window < 3) throw new IllegalArgumentException("a live window needs at least 3 segments");
        this.window = window;
        this.targetDuration = targetDuration;
    }

    /** Appends {@code s}; returns the segments that slid out of the window (their files can go). */
    public List<Segment> add(Segment s) {
        segments.addLast(s);
        // EXT-X-TARGETDURATION is an upper bound of every EXTINF rounded to the nearest integer.
        targetDuration = Math.max(targetDuration, (int) Math.round(s.durationSeconds()));
        List<Segment> removed = new ArrayList<>();
        while (segments.size() > window) {
            Segment gone = segments.removeFirst();
            if (gone.discontinuity()) discontinuitySequence++;
            removed.add(gone);
        }
        return removed;
    }

    public void end() { ended = true; }

    public boolean ended() { return ended; }

    public List<Segment> segments() { return List.copyOf(segments); }

    public int targetDuration() { return targetDuration; }

    public long mediaSequence() { return segments.isEmpty() ? 0 : segments.getFirst().sequence(); }

    public String render() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("#EXTM3U\n#EXT-X-VERSION:7\n");
        sb.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
        sb.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence()).append('\n');
        if (discontinuitySequence > 0) sb.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        String map = null;
        for (Segment s : segments) {
            if (s.discontinuity()) sb.append("#EXT-X-DISCONTINUITY\n");
            if (!s.mapUri().equals(map)) {
                sb.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
                map = s.mapUri();
            }
            if (s.programDateTime() != null) {
                sb.append("#EXT-X-PROGRAM-DATE-TIME:").append(DateTimeFormatter.ISO_INSTANT.format(
                        s.programDateTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))).append('\n');
            }
            sb.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", s.durationSeconds()));
            sb.append(s.uri()).append('\n');
        }
        if (ended) sb.append("#EXT-X-ENDLIST\n");
        return sb.toString();
    }
}
