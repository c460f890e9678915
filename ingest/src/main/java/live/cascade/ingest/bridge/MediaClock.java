package live.cascade.ingest.bridge;

/**
 * Ties a publish's media timeline (the encoder's FLV timestamps, milliseconds) to the wall clock at its first frame,
 * for the sender reports of every track (so audio and video, RTP or handed to the tap directly, share one clock).
 */
final class MediaClock {
    private long wallAtFirstMedia = Long.MIN_VALUE;
    private long firstMediaMs;

    /** Called with every frame's timestamp; the first one fixes the clock. */
    void mark(long ts) {
        if (wallAtFirstMedia == Long.MIN_VALUE) {
            wallAtFirstMedia = System.currentTimeMillis();
            firstMediaMs = ts;
        }
    }

    /** The wall-clock time (Unix milliseconds) of media time {@code mediaMs}. */
    long wall(long mediaMs) {
        return wallAtFirstMedia + (mediaMs - firstMediaMs);
    }
}
