package live.cascade.ingest.flv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The audio and video tags of an FLV file, as an RTMP publish carries them: for feeding a recorded encoder output
 * through the ingest (the B-frame and HEVC tests, the re-encode benchmark). The layout: a header whose last field is
 * its own length, then per tag its type, a 24-bit size, a 24+8-bit timestamp, a stream id, the body and the size of
 * the tag before. A truncated last tag is left out; script tags are skipped.
 */
public final class FlvFile {
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;

    /** One tag: {@link #AUDIO} or {@link #VIDEO}, its timestamp in milliseconds, its body (what a tag handler takes). */
    public record Tag(int type, long timestamp, byte[] body) {}

    private FlvFile() {
    }

    public static List<Tag> tags(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        int p = ((d[5] & 0xFF) << 24 | (d[6] & 0xFF) << 16 | (d[7] & 0xFF) << 8 | (d[8] & 0xFF)) + 4;
        List<Tag> tags = new ArrayList<>();
        while (p + 11 <= d.length) {
            int type = d[p] & 0x1F;
            int size = (d[p + 1] & 0xFF) << 16 | (d[p + 2] & 0xFF) << 8 | (d[p + 3] & 0xFF);
            long ts = ((d[p + 7] & 0xFFL) << 24) | (d[p + 4] & 0xFF) << 16 | (d[p + 5] & 0xFF) << 8 | (d[p + 6] & 0xFF);
            if (p + 11 + size > d.length) break;
            if (type == AUDIO || type == VIDEO) tags.add(new Tag(type, ts, Arrays.copyOfRange(d, p + 11, p + 11 + size)));
            p += 11 + size + 4;
        }
        return tags;
    }

    /** The video tags alone, in order. */
    public static List<Tag> videoTags(Path file) throws IOException {
        return tags(file).stream().filter(t -> t.type() == VIDEO).toList();
    }
}
