package live.cascade.hls.llhls;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A rendition's low-latency media playlist (RFC 8216bis §4.4.3-4.4.5, §6.2.5): complete segments over a sliding window,
 * each still with {@code EXTINF} and its URI for players that ignore parts, the parts of the last segments and of the
 * one being made ({@code EXT-X-PART}), a preload hint for the part being written, and the server-control tags that
 * make blocking reloads and delta updates available. Not thread-safe: {@link LowLatencyRendition} guards it.
 *
 * <p>Rules it keeps: {@code PART-TARGET} is the longest part (as shown, in milliseconds); {@code PART-HOLD-BACK} is three
 * part targets; {@code CAN-SKIP-UNTIL} is six target durations; parts are listed only for the last two complete
 * segments and the one in progress (the spec's "three target durations from the end").
 */
public final class LowLatencyPlaylist {
    private static final int SEGMENTS_WITH_PARTS = 2;

    private final int window;
    private final long partTargetMicros;
    private final Deque<FullSegment> segments = new ArrayDeque<>();
    private final List<Part> current = new ArrayList<>();
    private int targetDuration;
    private long nextMsn;
    private long discontinuitySequence;
    private String mapUri;
    private boolean currentDiscontinuity;
    private Instant currentProgramDateTime;
    private Part open;
    private boolean ended;

    /**
     * @param window           complete segments kept
     * @param targetDuration   the segment target, whole seconds
     * @param partTargetMicros the part target
     */
    public LowLatencyPlaylist(int window, int targetDuration, long partTargetMicros) {
        if (window < 3) throw new IllegalArgumentException("a live window needs at least 3 segments");
        this.window = window;
        this.targetDuration = targetDuration;
        this.partTargetMicros = partTargetMicros;
    }

    // ------------------------------------------------------------------ building

    /** A new initialization segment; after a first segment, the next one follows a discontinuity. */
    void map(String uri) {
        if (mapUri != null && (nextMsn > 0 || !current.isEmpty())) currentDiscontinuity = true;
        mapUri = uri;
    }

    Part startPart(long startMicros, boolean independent, Instant programDateTime) {
        if (mapUri == null) throw new IllegalStateException("a part before the initialization segment");
        if (open != null) abandonOpen();
        if (current.isEmpty()) currentProgramDateTime = programDateTime;
        open = new Part(nextMsn, current.size(), startMicros, independent);
        return open;
    }

    /** Ends the open part; returns it (null when none is open). */
    Part endPart(long endMicros) {
        Part p = open;
        if (p == null) return null;
        p.end(endMicros);
        current.add(p);
        open = null;
        return p;
    }

    /** Drops the segment being made (it will never be complete); the next one follows a discontinuity. */
    void abandonSegment() {
        abandonOpen();
        if (!current.isEmpty() || nextMsn > 0) currentDiscontinuity = true;
        current.clear();
        currentProgramDateTime = null;
    }

    void abandonOpen() {
        if (open != null) open.bytes().abandon();
        open = null;
    }

    /** The segment made of the parts so far is complete; returns the segments that slid out of the window. */
    List<FullSegment> completeSegment(long durationMicros, boolean discontinuity) {
        if (open != null) abandonOpen();
        FullSegment s = new FullSegment(nextMsn, nextMsn + ".m4s", mapUri, durationMicros, discontinuity || currentDiscontinuity,
                currentProgramDateTime, List.copyOf(current));
        nextMsn++;
        current.clear();
        currentDiscontinuity = false;
        currentProgramDateTime = null;
        segments.addLast(s);
        targetDuration = Math.max(targetDuration, (int) Math.round(durationMicros / 1e6));
        // Parts older than the last few segments are no longer listed (nor served): players take the segment.
        int withParts = 0;
        List<FullSegment> kept = new ArrayList<>(segments);
        segments.clear();
        for (int i = kept.size() - 1; i >= 0; i--) {
            FullSegment f = kept.get(i);
            if (!f.parts().isEmpty() && ++withParts > SEGMENTS_WITH_PARTS) f = f.withoutParts();
            segments.addFirst(f);
        }
        List<FullSegment> removed = new ArrayList<>();
        while (segments.size() > window) {
            FullSegment gone = segments.removeFirst();
            if (gone.discontinuity()) discontinuitySequence++;
            removed.add(gone);
        }
        return removed;
    }

    void end() {
        abandonOpen();
        ended = true;
    }

    // ------------------------------------------------------------------ state

    public boolean ended() { return ended; }

    public int targetDuration() { return targetDuration; }

    /** The segment being made (its parts are the newest). */
    public long nextMsn() { return nextMsn; }

    public long mediaSequence() { return segments.isEmpty() ? nextMsn : segments.getFirst().msn(); }

    public double skipUntilSeconds() { return 6.0 * targetDuration; }

    /** Three part targets (as the playlist shows the target), rounded up to 10 ms. */
    public long partHoldBackMicros() {
        long shownTarget = Math.round(partTargetMicros / 1000.0) * 1000;
        return (3 * shownTarget + 9_999) / 10_000 * 10_000;
    }

    /** Segment of the newest complete part, or -1 when there is none. */
    public long lastMsn() {
        if (!current.isEmpty()) return nextMsn;
        return segments.isEmpty() ? -1 : segments.getLast().msn();
    }

    /** Index of the newest complete part in {@link #lastMsn()}, or -1 when it has none listed. */
    public int lastPart() {
        if (!current.isEmpty()) return current.size() - 1;
        return segments.isEmpty() ? -1 : segments.getLast().parts().size() - 1;
    }

    /**
     * Whether the playlist holds what {@code r} waits for: segment {@code msn} complete, or (with a part) that part or
     * a later one complete. A part index past the end of its segment is reached by the next segment's first part.
     */
    public boolean satisfies(ReloadRequest r) {
        if (!r.blocking() || ended) return true;
        if (r.part() < 0) return r.msn() < nextMsn;
        long m = lastMsn();
        int p = lastPart();
        if (m < 0) return false;
        if (m > r.msn()) return true;
        if (m == r.msn()) return p >= r.part();
        return false;
    }

    /** More than two segments beyond the newest complete one: answered 400 instead of held. */
    public boolean tooFarAhead(ReloadRequest r) {
        return r.blocking() && !ended && r.msn() > (nextMsn - 1) + 2;
    }

    /** A listed part (complete or being written), or null. */
    public Part part(long msn, int index) {
        if (open != null && open.msn() == msn && open.index() == index) return open;
        if (msn == nextMsn) return index < current.size() ? current.get(index) : null;
        for (FullSegment s : segments) {
            if (s.msn() == msn) return index < s.parts().size() ? s.parts().get(index) : null;
        }
        return null;
    }

    /** The part being written, or null. */
    Part openPart() { return open; }

    /** The part the preload hint names: the one being written, else the next one. */
    public String preloadHintUri() {
        return open != null ? open.uri() : Part.uri(nextMsn, current.size());
    }

    // ------------------------------------------------------------------ rendering

    /**
     * @param delta   a delta update: segments older than the skip boundary replaced by {@code EXT-X-SKIP}
     * @param reports the other renditions' live edges
     */
    public String render(boolean delta, List<RenditionReport> reports) {
        List<FullSegment> list = List.copyOf(segments);
        int skipped = delta ? skippable(list) : 0;
        StringBuilder sb = new StringBuilder(2048);
        sb.append("#EXTM3U\n");
        // EXT-X-SKIP needs version 9; the full playlist keeps the version the plain playlists have.
        sb.append("#EXT-X-VERSION:").append(skipped > 0 ? 9 : 7).append('\n');
        sb.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
        sb.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=").append(seconds((long) (skipUntilSeconds() * 1e6), 1))
                .append(",PART-HOLD-BACK=").append(seconds(partHoldBackMicros(), 3)).append('\n');
        sb.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(partTargetMicros, 3)).append('\n');
        sb.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence()).append('\n');
        if (discontinuitySequence > 0) sb.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (skipped > 0) sb.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        String map = null;
        for (int i = skipped; i < list.size(); i++) {
            FullSegment s = list.get(i);
            if (s.discontinuity()) sb.append("#EXT-X-DISCONTINUITY\n");
            if (!s.mapUri().equals(map)) {
                sb.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
                map = s.mapUri();
            }
            dateTime(sb, s.programDateTime());
            for (Part p : s.parts()) part(sb, p);
            sb.append("#EXTINF:").append(seconds(s.durationMicros(), 3)).append(",\n").append(s.uri()).append('\n');
        }
        if (!ended) {
            if (!current.isEmpty() || open != null) {
                if (currentDiscontinuity) sb.append("#EXT-X-DISCONTINUITY\n");
                if (!mapUri.equals(map)) sb.append("#EXT-X-MAP:URI=\"").append(mapUri).append("\"\n");
                dateTime(sb, currentProgramDateTime);
            }
            for (Part p : current) part(sb, p);
            if (mapUri != null) sb.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(preloadHintUri()).append("\"\n");
        }
        for (RenditionReport r : reports) {
            if (r.lastMsn() < 0) continue;
            sb.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.uri()).append("\",LAST-MSN=").append(r.lastMsn());
            if (r.lastPart() >= 0) sb.append(",LAST-PART=").append(r.lastPart());
            sb.append('\n');
        }
        if (ended) sb.append("#EXT-X-ENDLIST\n");
        return sb.toString();
    }

    /**
     * Leading segments that end at least the skip boundary before the newest complete segment ends, and have no parts
     * listed (those are recent by definition).
     */
    private int skippable(List<FullSegment> list) {
        long boundary = (long) (skipUntilSeconds() * 1e6);
        long after = 0;
        int n = list.size();
        int skip = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (after >= boundary && list.get(i).parts().isEmpty()) {
                skip = i + 1;
                break;
            }
            after += list.get(i).durationMicros();
        }
        return skip;
    }

    private static void part(StringBuilder sb, Part p) {
        sb.append("#EXT-X-PART:DURATION=").append(seconds(p.durationMicros(), 3)).append(",URI=\"").append(p.uri()).append('"');
        if (p.independent()) sb.append(",INDEPENDENT=YES");
        sb.append('\n');
    }

    private static void dateTime(StringBuilder sb, Instant t) {
        if (t != null) sb.append("#EXT-X-PROGRAM-DATE-TIME:").append(DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS))).append('\n');
    }

    /** Micros as decimal seconds, rounded to {@code decimals} places (as players read them). */
    static String seconds(long micros, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", micros / 1e6);
    }
}
