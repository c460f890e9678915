package live.cascade.hls.layers;

/**
 * Where the copied layers' segments start, one picture at a time, for all layers at once: only at a picture that is a
 * keyframe in every layer that is sending, so segment N of every rendition starts at the same presentation time and
 * players can switch between them at any boundary. The first such picture once the segment is (nearly) the target
 * long ends it; from a little before the target on, the tap asks the publisher for keyframes on all layers at once,
 * and again every second until a picture keyed in every layer comes. Before the first segment it asks at once. How
 * long before the target follows how long the publisher took to answer (averaged over segments, 0.4 to 1.5 s ahead):
 * a browser on a busy machine takes a second, which would otherwise make every segment 2.6 s long.
 *
 * <p>A layer is sending while it had a picture within the last {@link #ACTIVE_MICROS}; one that stopped (the publisher
 * dropped it for bandwidth) does not hold the others' boundaries back. The first segment waits for a picture keyed in
 * every layer of the publication, present or not yet (layers start one after the other); only a layer that has not
 * shown up within {@link #START_WAIT_MICROS} is left out of it.
 */
public final class LayerCadence {
    /** Frame timestamps jitter; a boundary this much before the target still ends the segment. */
    static final long TOLERANCE_MICROS = 250_000;
    static final long ASK_AHEAD_MICROS = 400_000;
    static final long MAX_ASK_AHEAD_MICROS = 1_500_000;
    static final long ASK_AGAIN_MICROS = 1_000_000;
    static final long ACTIVE_MICROS = 1_000_000;
    static final long START_WAIT_MICROS = 3_000_000;
    private static final long HALF_FRAME_MICROS = 16_000;

    /** What to do at a picture: start a segment there in every layer, and/or ask for keyframes on all layers. */
    public record Decision(boolean cut, boolean requestKeyframes) {
        static final Decision NOTHING = new Decision(false, false);
    }

    private final long targetMicros;
    private final long[] lastSeen;
    private boolean started;
    private long firstPicture = Long.MIN_VALUE;
    private long segmentStart;
    private boolean asked;
    private long lastAsk;
    /** The segment's first request: a publisher that takes over a second answers it after the repeat went out. */
    private long firstAsk;
    private long askAhead = ASK_AHEAD_MICROS;

    public LayerCadence(int layers, long targetMicros) {
        this.targetMicros = targetMicros;
        this.lastSeen = new long[layers];
        java.util.Arrays.fill(lastSeen, Long.MIN_VALUE);
    }

    /**
     * One picture: {@code present[i]} when layer {@code i} has a frame of it, {@code keyframe[i]} when that frame is a
     * keyframe.
     */
    public Decision onPicture(long pts, boolean[] present, boolean[] keyframe) {
        boolean allKeyed = keyedInEverySendingLayer(pts, present, keyframe);
        for (int i = 0; i < lastSeen.length; i++) if (present[i]) lastSeen[i] = pts;
        if (!started) {
            if (firstPicture == Long.MIN_VALUE) firstPicture = pts;
            if (allKeyed && (pts - firstPicture >= START_WAIT_MICROS || keyedInEveryLayer(present, keyframe))) {
                started = true;
                segmentStart = pts;
                asked = false;
                return new Decision(true, false);
            }
            return new Decision(false, askNow(pts));
        }
        if (allKeyed && pts - segmentStart >= targetMicros - TOLERANCE_MICROS) {
            if (asked) learnDelay(pts - firstAsk);
            segmentStart = pts;
            asked = false;
            return new Decision(true, false);
        }
        if (pts - segmentStart >= targetMicros - askAhead) return new Decision(false, askNow(pts));
        return Decision.NOTHING;
    }

    /**
     * The publisher answered a request after {@code delay}: ask the next one about that much ahead (half-way averaged),
     * so the answer lands at the target; one that comes up to the tolerance early still ends the segment.
     */
    private void learnDelay(long delay) {
        long wanted = Math.max(ASK_AHEAD_MICROS, Math.min(MAX_ASK_AHEAD_MICROS, delay));
        askAhead = (askAhead + wanted) / 2;
    }

    /** How long before a segment's target the next request goes out (µs). */
    public long askAheadMicros() { return askAhead; }

    private boolean askNow(long pts) {
        if (asked && pts - lastAsk < ASK_AGAIN_MICROS - HALF_FRAME_MICROS) return false;
        if (!asked) firstAsk = pts;
        asked = true;
        lastAsk = pts;
        return true;
    }

    private static boolean keyedInEveryLayer(boolean[] present, boolean[] keyframe) {
        for (int i = 0; i < present.length; i++) if (!present[i] || !keyframe[i]) return false;
        return true;
    }

    private boolean keyedInEverySendingLayer(long pts, boolean[] present, boolean[] keyframe) {
        int sending = 0;
        for (int i = 0; i < lastSeen.length; i++) {
            boolean active = present[i] || (lastSeen[i] != Long.MIN_VALUE && pts - lastSeen[i] < ACTIVE_MICROS);
            if (!active) continue;
            sending++;
            if (!present[i] || !keyframe[i]) return false;
        }
        return sending > 0;
    }

    /** Whether layer {@code i} counts as sending at {@code pts} (a picture of it within the last second). */
    public boolean sending(int i, long pts) { return lastSeen[i] != Long.MIN_VALUE && pts - lastSeen[i] < ACTIVE_MICROS; }

    public boolean started() { return started; }

    /** Where the current segment started (µs), when {@link #started}. */
    public long segmentStart() { return segmentStart; }

    /** A new publisher: the next picture keyed in every layer starts segments everywhere. */
    public void restart() {
        started = false;
        firstPicture = Long.MIN_VALUE;
        asked = false;
        java.util.Arrays.fill(lastSeen, Long.MIN_VALUE);
    }
}
