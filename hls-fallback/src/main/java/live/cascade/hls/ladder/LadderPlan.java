package live.cascade.hls.ladder;

import java.util.ArrayList;
import java.util.List;

/**
 * Which renditions a source gets from the configured ladder. Never above the source's height: upscaling costs CPU
 * and bandwidth and adds nothing. With an H.264 source that is to be copied, {@code source} is passed through and
 * encoded rungs at or above its height are left out (the pass-through is that quality); otherwise (VP8, or H.264 with
 * {@code --hls-source encode}) everything is encoded, {@code source} at the source's own size. A source smaller than
 * every rung still gets one rendition, at its size.
 */
public final class LadderPlan {
    private LadderPlan() {}

    /** @param copySource the source is H.264 and is to be passed through as sent (not with {@code --hls-source encode}) */
    public static List<Rendition> plan(List<Rung> ladder, boolean copySource, int sourceWidth, int sourceHeight) {
        List<Rendition> out = new ArrayList<>();
        boolean passthrough = copySource && ladder.contains(Rung.SOURCE);
        if (passthrough) out.add(new Rendition(Rung.SOURCE.name(), true, sourceWidth, sourceHeight, 0));
        for (Rung r : ladder) {
            if (r.isSource()) {
                if (!passthrough) add(out, Rung.SOURCE.name(), sourceWidth, sourceHeight);
                continue;
            }
            if (r.height() > sourceHeight || (passthrough && r.height() >= sourceHeight)) continue;
            add(out, r.name(), evenWidth(sourceWidth, sourceHeight, r.height()), r.height());
        }
        if (out.isEmpty()) add(out, even(sourceHeight) + "p", even(sourceWidth), even(sourceHeight));
        return out;
    }

    private static void add(List<Rendition> out, String name, int w, int h) {
        w = even(w);
        h = even(h);
        for (Rendition r : out) if (!r.passthrough() && r.height() == h) return; // same size twice is waste
        out.add(new Rendition(name, false, w, h, Rung.defaultBitRate(w, h)));
    }

    static int evenWidth(int sw, int sh, int h) {
        return Math.max(2, 2 * (int) Math.round((double) sw * h / sh / 2)); // nearest even: 1280x720 → 854x480
    }

    private static int even(int v) { return Math.max(2, v & ~1); }
}
