package live.cascade.hls.record;

import java.util.List;
import java.util.Locale;

/**
 * An HLS VOD playlist over fragmented MP4 files: each file's {@code moov} as {@code EXT-X-MAP} and each fragment as a
 * byte range of the same file, so a recording is served as it lies on disk, with no segment files. A recording in
 * several parts (it had to continue in a new file) plays as one, with {@code EXT-X-DISCONTINUITY} between parts:
 * each part has its own initialization and its timestamps start over.
 */
public final class VodPlaylist {
    private VodPlaylist() {}

    /** @param mediaUri the file's URI relative to the playlist */
    public static String render(Mp4FragmentIndex index, String mediaUri) {
        return render(List.of(index), List.of(mediaUri));
    }

    /** @param mediaUris each part's URI relative to the playlist, in the order of {@code parts} */
    public static String render(List<Mp4FragmentIndex> parts, List<String> mediaUris) {
        if (parts.size() != mediaUris.size() || parts.isEmpty()) throw new IllegalArgumentException("one URI per part, at least one part");
        double longest = 1;
        int fragments = 0;
        for (Mp4FragmentIndex index : parts) {
            for (Mp4FragmentIndex.Fragment f : index.fragments()) longest = Math.max(longest, index.seconds(f.durationTicks()));
            fragments += index.fragments().size();
        }
        StringBuilder sb = new StringBuilder(256 + 64 * fragments);
        sb.append("#EXTM3U\n#EXT-X-VERSION:7\n");
        sb.append("#EXT-X-TARGETDURATION:").append((int) Math.ceil(longest)).append('\n');
        sb.append("#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (int p = 0; p < parts.size(); p++) {
            Mp4FragmentIndex index = parts.get(p);
            String uri = mediaUris.get(p);
            if (p > 0) sb.append("#EXT-X-DISCONTINUITY\n");
            sb.append("#EXT-X-MAP:URI=\"").append(uri).append("\",BYTERANGE=\"").append(index.initLength()).append("@0\"\n");
            for (Mp4FragmentIndex.Fragment f : index.fragments()) {
                sb.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", index.seconds(f.durationTicks())));
                sb.append("#EXT-X-BYTERANGE:").append(f.length()).append('@').append(f.offset()).append('\n');
                sb.append(uri).append('\n');
            }
        }
        sb.append("#EXT-X-ENDLIST\n");
        return sb.toString();
    }
}
