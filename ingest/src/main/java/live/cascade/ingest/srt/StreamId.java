package live.cascade.ingest.srt;

/**
 * What an SRT caller's streamid asks for. Encoders send either a plain key ({@code KEY}, {@code live/KEY}) or SRT's
 * access-control syntax ({@code #!::r=live/KEY,m=publish}, keys in any order). The stream key is the resource's last
 * path segment; a mode other than {@code publish} is refused, since this listener only takes publishers.
 *
 * @param key the stream key, empty when none was given
 * @param publish false when the caller asked for another mode ({@code m=request}, to play)
 */
public record StreamId(String key, boolean publish) {
    /** Never throws: a null or odd streamid yields an empty key, which no channel has. */
    public static StreamId parse(String raw) {
        if (raw == null) return new StreamId("", true);
        String s = raw.strip();
        if (!s.startsWith("#!::")) return new StreamId(lastSegment(s), true);
        String resource = "";
        String user = "";
        boolean publish = true;
        for (String pair : s.substring(4).split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            String k = pair.substring(0, eq).strip();
            String v = pair.substring(eq + 1).strip();
            switch (k) {
                case "r" -> resource = v;
                case "u" -> user = v;
                case "m" -> publish = v.equalsIgnoreCase("publish");
                default -> { /* h (host), s (session), t (type): nothing to check */ }
            }
        }
        // Some apps put the key in u= with a fixed r=live; take r's last segment unless it is only the application.
        String key = lastSegment(resource);
        if ((key.isEmpty() || key.equals("live")) && !user.isEmpty()) key = user;
        return new StreamId(key, publish);
    }

    private static String lastSegment(String s) {
        int q = s.indexOf('?');
        if (q >= 0) s = s.substring(0, q);
        int slash = s.lastIndexOf('/');
        return slash < 0 ? s : s.substring(slash + 1);
    }
}
