package live.cascade.hls.llhls;

/**
 * A playlist request's delivery directives: {@code _HLS_msn} and {@code _HLS_part} (block until that part, or that
 * segment, is in the playlist) and {@code _HLS_skip} (a delta update).
 *
 * @param msn  the awaited media sequence number, or -1 for none (answer at once)
 * @param part the awaited part of it, or -1 for the whole segment
 * @param skip a delta update is asked for
 */
public record ReloadRequest(long msn, int part, boolean skip) {
    /** The request is not well formed; the message says what is wrong, for a 400 problem document. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) { super(message); }
    }

    public boolean blocking() { return msn >= 0; }

    /** From the query parameters as they came (each may be null). */
    public static ReloadRequest parse(String msn, String part, String skip) {
        long m = -1;
        int p = -1;
        if (msn != null) {
            m = number(msn, "_HLS_msn", Long.MAX_VALUE);
        }
        if (part != null) {
            if (msn == null) throw new Invalid("_HLS_part needs _HLS_msn: ask for a part of a media sequence number (_HLS_msn=N&_HLS_part=P).");
            p = (int) number(part, "_HLS_part", Integer.MAX_VALUE);
        }
        boolean s = false;
        if (skip != null) {
            // v2 also skips date ranges; this server writes none, so it is the same delta update.
            if (!skip.equals("YES") && !skip.equals("v2")) throw new Invalid("_HLS_skip must be YES or v2, not '" + skip + "'.");
            s = true;
        }
        return new ReloadRequest(m, p, s);
    }

    private static long number(String text, String name, long max) {
        try {
            long v = Long.parseLong(text);
            if (v < 0 || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a non-negative integer, not '" + text + "'.");
        }
    }
}
