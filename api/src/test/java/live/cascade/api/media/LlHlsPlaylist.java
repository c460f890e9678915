package live.cascade.api.media;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A low-latency media playlist as a client reads it: its segments (with their media sequence numbers) and parts, the
 * server-control values, the preload hint, and the next part to ask for with a blocking reload.
 */
public record LlHlsPlaylist(String text, long mediaSequence, int skipped, double partTarget, double partHoldBack, double canSkipUntil,
                            int targetDuration, List<Seg> segments, List<PartRef> parts, String preloadHint) {
    /** A complete segment. */
    public record Seg(long msn, String uri, double duration) {
    }

    /** A listed part; {@code msn} is the segment it belongs to. */
    public record PartRef(long msn, int index, String uri, double duration, boolean independent) {
    }

    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"([^\"]+)\"(,INDEPENDENT=YES)?");

    public static LlHlsPlaylist parse(String text) {
        long mediaSequence = longTag(text, "#EXT-X-MEDIA-SEQUENCE:(\\d+)", -1);
        int skipped = (int) longTag(text, "#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)", 0);
        double partTarget = doubleTag(text, "#EXT-X-PART-INF:PART-TARGET=([0-9.]+)");
        double holdBack = doubleTag(text, "PART-HOLD-BACK=([0-9.]+)");
        double skipUntil = doubleTag(text, "CAN-SKIP-UNTIL=([0-9.]+)");
        int target = (int) longTag(text, "#EXT-X-TARGETDURATION:(\\d+)", -1);
        List<Seg> segments = new ArrayList<>();
        List<PartRef> parts = new ArrayList<>();
        long msn = mediaSequence + skipped;
        int index = 0;
        double extinf = -1;
        String hint = null;
        for (String line : text.split("\n")) {
            Matcher m = PART.matcher(line);
            if (m.matches()) {
                parts.add(new PartRef(msn, index++, m.group(2), Double.parseDouble(m.group(1)), m.group(3) != null));
            } else if (line.startsWith("#EXTINF:")) {
                extinf = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (line.startsWith("#EXT-X-PRELOAD-HINT:")) {
                Matcher h = Pattern.compile("URI=\"([^\"]+)\"").matcher(line);
                if (h.find()) hint = h.group(1);
            } else if (!line.isBlank() && !line.startsWith("#") && extinf >= 0) {
                segments.add(new Seg(msn, line.trim(), extinf));
                msn++;
                index = 0;
                extinf = -1;
            }
        }
        return new LlHlsPlaylist(text, mediaSequence, skipped, partTarget, holdBack, skipUntil, target, segments, parts, hint);
    }

    /** The segment being made: the one after the last complete segment. */
    public long nextMsn() { return segments.isEmpty() ? mediaSequence + skipped : segments.getLast().msn() + 1; }

    /** The newest part listed. */
    public PartRef lastPart() { return parts.isEmpty() ? null : parts.getLast(); }

    /** The {@code _HLS_msn}/{@code _HLS_part} of the part after the newest one listed. */
    public long[] nextPart() {
        PartRef last = lastPart();
        if (last == null) return new long[]{nextMsn(), 0};
        return last.msn() == nextMsn() ? new long[]{last.msn(), last.index() + 1} : new long[]{nextMsn(), 0};
    }

    private static long longTag(String text, String regex, long otherwise) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }

    private static double doubleTag(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
