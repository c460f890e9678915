package live.cascade.sfu.simulcast;

/**
 * Which simulcast layers of one group somebody consumes, and so which the publisher may stop encoding (LiveKit calls
 * this dynacast). Each router tick marks the layers wanted now ({@link #want}); a layer nobody has wanted for
 * {@link #PAUSE_AFTER_NANOS} is paused, a wanted layer is resumed at once. The asymmetry is the hysteresis: a viewer
 * stepping between layers, or a pin that lasts a second, does not make the publisher's encoder start and stop, while
 * a viewer that needs a paused layer never waits on the delay.
 *
 * <p>A paused layer keeps what it measured when it was paused (its media bitrate), so the layer choice can still
 * rank and pick it: picking it is what resumes it. One that was already silent when paused (the publisher had dropped
 * it itself) is not offered: nothing says it would come back. A resumed layer is offered for
 * {@link LayerGroup#ACTIVE_NANOS} while its first packets are on their way.
 *
 * <p>Indexes are the group's offer order. Owned by the media worker; allocates nothing after construction.
 */
public final class LayerDemand {
    /** How long a layer must go unwanted before it is paused. */
    public static final long PAUSE_AFTER_NANOS = 3_000_000_000L;

    private final long pauseAfterNanos;
    private final long[] lastWanted;
    private final boolean[] paused;
    /** Whether the layer was sending when it was paused: only then is it offered to the choice while paused. */
    private final boolean[] pausedWhileActive;
    private final long[] pausedBitrate;
    private final long[] resumedAt;
    private boolean started;
    private int version;

    public LayerDemand(int layers) { this(layers, PAUSE_AFTER_NANOS); }

    public LayerDemand(int layers, long pauseAfterNanos) {
        this.pauseAfterNanos = pauseAfterNanos;
        this.lastWanted = new long[layers];
        this.paused = new boolean[layers];
        this.pausedWhileActive = new boolean[layers];
        this.pausedBitrate = new long[layers];
        this.resumedAt = new long[layers];
        java.util.Arrays.fill(resumedAt, Long.MIN_VALUE);
    }

    /** Starts the unwanted clocks at {@code now} if this is the first tick (a new group pauses nothing at once). */
    private void start(long now) {
        if (started) return;
        started = true;
        java.util.Arrays.fill(lastWanted, now);
    }

    /** Somebody consumes layer {@code i} now (or is about to): it stays, or resumes at once. */
    public void want(int i, long now) {
        start(now);
        lastWanted[i] = now;
        if (paused[i]) {
            paused[i] = false;
            resumedAt[i] = now;
            version++;
        }
    }

    /**
     * After the tick's {@link #want} calls: pauses the layers unwanted for long enough. {@code active[i]} and
     * {@code bitrate[i]} are each layer's state now (whether it is sending, its media bitrate), kept for the choice.
     */
    public void update(long now, boolean[] active, long[] bitrate) {
        start(now);
        for (int i = 0; i < paused.length; i++) {
            if (paused[i] || now - lastWanted[i] < pauseAfterNanos) continue;
            paused[i] = true;
            pausedWhileActive[i] = active[i];
            pausedBitrate[i] = bitrate[i];
            version++;
        }
    }

    public boolean paused(int i) { return paused[i]; }

    /** Whether layer {@code i} may be chosen although it sends nothing now: paused by us, or just resumed. */
    public boolean offered(int i, long now) {
        return paused[i] ? pausedWhileActive[i] : resumedAt[i] != Long.MIN_VALUE && now - resumedAt[i] < LayerGroup.ACTIVE_NANOS;
    }

    /** The media bitrate layer {@code i} had when it was paused (-1 when not paused or not measured then). */
    public long pausedBitrate(int i) { return paused[i] ? pausedBitrate[i] : -1; }

    /** Changes with every pause and resume: a reader compares it to tell whether to report again. */
    public int version() { return version; }

    /** A new publisher: it sends what it sends; nothing is paused and the unwanted clocks start again. */
    public void reset() {
        started = false;
        java.util.Arrays.fill(paused, false);
        java.util.Arrays.fill(resumedAt, Long.MIN_VALUE);
        version++;
    }
}
