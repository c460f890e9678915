package live.cascade.api.storage;

/**
 * The object key layout, one place for it: {@code {prefix}recordings/<channel>/<recording>/recording.mp4} (and
 * {@code recording-2.mp4}, … for a recording in parts, plus {@code index.m3u8}, its VOD playlist),
 * {@code {prefix}clips/<channel>/<clip>/clip.mp4} and {@code {prefix}thumbnails/<channel>/<recording or clip>.jpg}.
 * The names after the kind are those of the files under the data directory ({@code recordings/<channel>/<dir>/<file>}),
 * so a key and the file it came from can always be matched up, and a migrated library keeps its names.
 */
public record StorageKeys(String prefix) {
    public static final String RECORDINGS = "recordings/";
    public static final String CLIPS = "clips/";
    public static final String THUMBNAILS = "thumbnails/";
    /** The VOD playlist of a recording stored remotely, rendered from the local files before they go. */
    public static final String PLAYLIST = "index.m3u8";

    public StorageKeys {
        if (prefix == null) prefix = "";
        if (prefix.startsWith("/") || prefix.contains("..")) throw new IllegalArgumentException("bad key prefix: " + prefix);
    }

    /** Where the media of a row lives, from its data-directory path ({@code recordings/<channel>/<dir>/<file>}). */
    public String media(String mediaPath, boolean clip) {
        Parts p = Parts.of(mediaPath);
        return prefix + (clip ? CLIPS : RECORDINGS) + p.channel() + "/" + p.dir() + "/" + p.file();
    }

    /** The poster of a row whose media is at {@code mediaPath}: one object per recording or clip. */
    public String thumbnail(String mediaPath) {
        Parts p = Parts.of(mediaPath);
        return prefix + THUMBNAILS + p.channel() + "/" + p.dir() + ".jpg";
    }

    /** The refreshed still of a live channel: {@code {prefix}thumbnails/live/<slug>.jpg}. */
    public String liveThumbnail(String slug) {
        if (slug == null || !slug.matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("not a channel slug: " + slug);
        return prefix + THUMBNAILS + "live/" + slug + ".jpg";
    }

    /** Part {@code n} (1-based) of the media whose first part is {@code firstKey}: {@code recording-2.mp4}, … */
    public static String part(String firstKey, int n) {
        if (n <= 1) return firstKey;
        int slash = firstKey.lastIndexOf('/');
        int dot = firstKey.lastIndexOf('.');
        if (dot < slash) dot = -1;
        return dot < 0 ? firstKey + "-" + n : firstKey.substring(0, dot) + "-" + n + firstKey.substring(dot);
    }

    /** The VOD playlist beside the media whose first part is {@code firstKey}. */
    public static String playlist(String firstKey) {
        return firstKey.substring(0, firstKey.lastIndexOf('/') + 1) + PLAYLIST;
    }

    /** {@code recordings/<channel>/<dir>/<file>} split; anything else is refused (it did not come from this node). */
    private record Parts(String channel, String dir, String file) {
        static Parts of(String mediaPath) {
            String[] s = mediaPath == null ? new String[0] : mediaPath.split("/");
            if (s.length != 4 || !s[0].equals("recordings") || !s[1].matches("\\d{1,18}") || s[2].isEmpty() || s[3].isEmpty()
                    || s[2].startsWith(".") || s[3].startsWith(".")) {
                throw new IllegalArgumentException("not a recording path under the data directory: " + mediaPath);
            }
            return new Parts(s[1], s[2], s[3]);
        }
    }
}
