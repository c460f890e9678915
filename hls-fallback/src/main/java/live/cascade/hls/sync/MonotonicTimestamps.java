package live.cascade.hls.sync;

/**
 * One track's timestamps made strictly increasing, as every muxer needs its decoding timestamps: a frame at or before
 * the previous one is either dropped (audio: its frames have fixed durations, so a repeated timestamp is a repeated or
 * overlapping frame, and shifting it would push every later frame off) or nudged just after the previous one (video:
 * the picture is new and worth showing; the next frame is back on its own timestamp). The tap writes a frame's
 * presentation timestamp as its decoding timestamp too (WebRTC sends no B-frames), so PTS ≥ DTS holds.
 */
final class MonotonicTimestamps {
    /** What became of a frame. */
    enum Outcome { KEPT, NUDGED, DROPPED }

    /** One tick of the coarsest muxer clock in use (WebM counts milliseconds), so a nudged frame never ties. */
    static final long NUDGE_MICROS = 1_000;

    private final boolean dropLate;
    private boolean started;
    private long lastIn;
    private long lastOut;
    private long out;
    private Outcome outcome;
    private boolean repeated;

    /** @param dropLate drop a frame that is not after the previous one (audio) rather than nudge it (video) */
    MonotonicTimestamps(boolean dropLate) { this.dropLate = dropLate; }

    /** Places a frame at {@code micros}; then {@link #outcome()}, {@link #micros()} and {@link #repeated()} say how. */
    void place(long micros) {
        repeated = started && micros == lastIn;
        if (!started || micros > lastOut) {
            outcome = Outcome.KEPT;
            out = micros;
        } else if (dropLate) {
            outcome = Outcome.DROPPED;
        } else {
            outcome = Outcome.NUDGED;
            out = lastOut + NUDGE_MICROS;
        }
        started = true;
        lastIn = micros;
        if (outcome != Outcome.DROPPED) lastOut = out;
    }

    Outcome outcome() { return outcome; }

    /** The frame's timestamp (unless dropped). */
    long micros() { return out; }

    /** The frame had the same timestamp as the one before it. */
    boolean repeated() { return repeated; }

    /** The last timestamp let through (or nudged to). */
    long lastOut() { return lastOut; }
}
