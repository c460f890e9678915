package live.cascade.hls.record;

import java.util.Locale;

/**
 * An HLS VOD playlist over one fragmented MP4 file: the {@code moov} as {@code EXT-X-MAP} and each fragment as a
 * byte range of the same file, so a recording is served as it lies on disk, with no segment files.
 */
public final class VodPlaylist {
    private VodPlaylist() {}

    /** @param mediaUri the file's URI relative to the playlist */
    public static String render(Mp4FragmentIndex index, String mediaUri) {
        double longest = 1;
        for (Mp4FragmentIndex.Fragment f : index.fragments()) longest = Math.max(longest, index.seconds(f.durationTicks()));
        StringBuilder sb = new StringBuilder(256 + 64 * index.fragments().size());
        sb.append("#EXTM3U\n#EXT-X-VERSION:7\n");
        sb.append("#EXT-X-TARGETDURATION:").append((int) Math.ceil(longest)).append('\n');
        sb.append("#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        sb.append("#EXT-X-MAP:URI=\"").append(mediaUri).append("\",BYTERANGE=\"").append(index.initLength()).append("@0\"\n");
        for (Mp4FragmentIndex.Fragment f : index.fragments()) {
            sb.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", index.seconds(f.durationTicks())));
            sb.append("#EXT-X-BYTERANGE:").append(f.length()).append('@').append(f.offset()).append('\n');
            sb.append(mediaUri).append('\n');
        }
        sb.append("#EXT-X-ENDLIST\n");
        return sb.toString();
    }
}
