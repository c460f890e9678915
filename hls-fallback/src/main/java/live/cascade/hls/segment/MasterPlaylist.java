package live.cascade.hls.segment;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The master (multivariant) playlist: one {@code EXT-X-STREAM-INF} per rendition, largest picture first, then highest
 * bandwidth (players take the first entry as the starting point unless they know better; hls.js measures and adapts
 * either way).
 */
public final class MasterPlaylist {
    private final List<Variant> variants;

    public MasterPlaylist(List<Variant> variants) {
        this.variants = variants.stream().sorted(Comparator.comparingInt(Variant::height).reversed()
                .thenComparing(Comparator.comparingLong(Variant::bandwidth).reversed())).toList();
    }

    public List<Variant> variants() { return variants; }

    /** @param query appended to every media playlist URI (e.g. {@code ?token=…}, the viewer's playback token), or empty */
    public String render(String query) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Variant v : variants) {
            sb.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
            if (v.averageBandwidth() > 0) sb.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
            if (v.width() > 0 && v.height() > 0) sb.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
            if (v.frameRate() > 0) sb.append(String.format(Locale.ROOT, ",FRAME-RATE=%.3f", v.frameRate()));
            sb.append(",CODECS=\"").append(v.codecs()).append("\"\n");
            sb.append(v.uri()).append(query).append('\n');
        }
        return sb.toString();
    }
}
