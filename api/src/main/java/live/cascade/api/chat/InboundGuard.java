package live.cascade.api.chat;

/**
 * What a socket may send: frames per second (a token bucket) and how many mistakes in a row before it is closed.
 * A client gets an error frame for each bad frame; the {@value #MAX_STRIKES}th within {@value #STRIKE_WINDOW_MS} ms
 * closes the socket. Jetty hands one socket's frames over one at a time, but not always on the same thread, hence
 * the synchronization.
 */
final class InboundGuard {
    static final int BURST = 20;
    static final double FRAMES_PER_SECOND = 10;
    static final int MAX_STRIKES = 5;
    static final long STRIKE_WINDOW_MS = 10_000;

    private double tokens = BURST;
    private long refilledAt;
    private int strikes;
    private long firstStrikeAt;

    InboundGuard(long nowMillis) {
        this.refilledAt = nowMillis;
    }

    /** Takes one frame's token; false when the socket is sending faster than allowed. */
    synchronized boolean admit(long nowMillis) {
        tokens = Math.min(BURST, tokens + (nowMillis - refilledAt) * FRAMES_PER_SECOND / 1000.0);
        refilledAt = nowMillis;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    /** Milliseconds until the next frame would be admitted. */
    synchronized long retryAfterMillis() {
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 1000 / FRAMES_PER_SECOND);
    }

    /** Counts a mistake; true when this one ends the socket. */
    synchronized boolean strike(long nowMillis) {
        if (strikes == 0 || nowMillis - firstStrikeAt > STRIKE_WINDOW_MS) {
            strikes = 0;
            firstStrikeAt = nowMillis;
        }
        return ++strikes >= MAX_STRIKES;
    }
}
