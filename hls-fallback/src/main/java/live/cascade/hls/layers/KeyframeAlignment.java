package live.cascade.hls.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How well the publisher keys its layers in step, measured per request: after the tap asks for keyframes on all layers
 * at {@code pts}, each sending layer's first keyframe from then on is noted; the request's <em>skew</em> is the span
 * between the earliest and the latest of them (0: every layer keyed the same picture, so the segments could be cut
 * there). A request that not every sending layer answers within {@link #ROUND_MICROS} counts as unanswered. Also the
 * segments' starts and lengths, for the figures the broadcast ends with.
 */
public final class KeyframeAlignment {
    static final long ROUND_MICROS = 2_000_000;

    private final int layers;
    private final long[] firstKey;
    private boolean open;
    private long askedAt;
    private long requests;
    private long unanswered;
    private final List<Long> skews = new ArrayList<>();
    private long cuts;
    private long lastCut = Long.MIN_VALUE;
    private long longestSegment;

    public KeyframeAlignment(int layers) {
        this.layers = layers;
        this.firstKey = new long[layers];
    }

    /** The tap asked for keyframes on all layers at {@code pts}; a request still open closes as unanswered. */
    public void asked(long pts) {
        if (open) unanswered++;
        open = true;
        askedAt = pts;
        requests++;
        Arrays.fill(firstKey, Long.MIN_VALUE);
    }

    /** One picture, as {@link LayerCadence#onPicture} sees it; {@code sending[i]} whether layer i counts. */
    public void onPicture(long pts, boolean[] present, boolean[] keyframe, boolean[] sending) {
        if (!open) return;
        boolean all = true;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < layers; i++) {
            if (present[i] && keyframe[i] && firstKey[i] == Long.MIN_VALUE) firstKey[i] = pts;
            if (!sending[i] && !present[i]) continue;
            if (firstKey[i] == Long.MIN_VALUE) {
                all = false;
            } else {
                min = Math.min(min, firstKey[i]);
                max = Math.max(max, firstKey[i]);
            }
        }
        if (all && max != Long.MIN_VALUE) {
            skews.add(max - min);
            open = false;
        } else if (pts - askedAt > ROUND_MICROS) {
            unanswered++;
            open = false;
        }
    }

    /** Every layer's segment started at {@code pts}. */
    public void cut(long pts) {
        if (lastCut != Long.MIN_VALUE) longestSegment = Math.max(longestSegment, pts - lastCut);
        lastCut = pts;
        cuts++;
    }

    /** A new publisher: the segment lengths start over. */
    public void restart() {
        lastCut = Long.MIN_VALUE;
        open = false;
    }

    public long requests() { return requests; }

    public long unanswered() { return unanswered; }

    /** Requests every sending layer answered. */
    public int answered() { return skews.size(); }

    /** Answered requests whose layers all keyed the same picture. */
    public long inStep() { return skews.stream().filter(s -> s == 0).count(); }

    /** The largest skew of an answered request (µs), 0 without any. */
    public long worstSkewMicros() { return skews.stream().mapToLong(Long::longValue).max().orElse(0); }

    public long cuts() { return cuts; }

    public long longestSegmentMicros() { return longestSegment; }

    /** One line for the log. */
    public String summary() {
        return String.format(Locale.ROOT, "%d keyframe requests to all layers: %d answered, every layer on the same picture in %d, worst skew %.1f ms, %d unanswered; %d aligned segment starts, the longest segment %.2f s",
                requests, answered(), inStep(), worstSkewMicros() / 1000.0, unanswered, cuts, longestSegment / 1e6);
    }
}
