package live.cascade.hls.ladder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the configured ladder: {@code source} (the publisher's own video, passed through when it is H.264) or a
 * picture height such as {@code 720p}.
 */
public record Rung(String name, int height) {
    public static final Rung SOURCE = new Rung("source", 0);
    private static final Pattern HEIGHT = Pattern.compile("(\\d{3,4})p");

    public boolean isSource() { return height == 0; }

    /**
     * Parses a ladder such as {@code source,720p,480p,360p}: entries separated by commas, each {@code source} or a
     * height of 144 to 2160 followed by {@code p}. Repeats are ignored.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static List<Rung> parseLadder(String text) {
        LinkedHashSet<Rung> out = new LinkedHashSet<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) continue;
            if (entry.equals("source")) {
                out.add(SOURCE);
                continue;
            }
            Matcher m = HEIGHT.matcher(entry);
            if (!m.matches()) throw new IllegalArgumentException("'" + raw.trim() + "' is neither 'source' nor a height like 720p");
            int h = Integer.parseInt(m.group(1));
            if (h < 144 || h > 2160 || h % 2 != 0) throw new IllegalArgumentException("'" + raw.trim() + "': heights are even, 144p to 2160p");
            out.add(new Rung(h + "p", h));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("the ladder is empty");
        return new ArrayList<>(out);
    }

    /** A typical H.264 bit rate for this height at 30 fps (kbit/s × 1000). */
    public static long defaultBitRate(int width, int height) {
        return switch (height) {
            case 2160 -> 14_000_000L;
            case 1440 -> 8_000_000L;
            case 1080 -> 5_000_000L;
            case 720 -> 2_800_000L;
            case 480 -> 1_400_000L;
            case 360 -> 800_000L;
            case 240 -> 400_000L;
            default -> Math.max(200_000L, Math.round(width * (double) height * 30 * 0.1 / 1000) * 1000);
        };
    }
}
