package live.cascade.hls;

import java.util.Optional;
import live.cascade.sfu.os.ThreadNice;

/**
 * Lowers the CPU priority (the Linux nice value) of the calling thread. On Linux the nice value belongs to each thread
 * and a new thread starts with its creator's, so a tap that lowers its own thread before opening FFmpeg lowers every
 * decoder and x264 thread FFmpeg starts for it too.
 *
 * <p>Why: the ladder's encoders can keep every core busy, and a media worker that has to wait for a core stamps the
 * publisher's packets late. Those stamps are the arrival times transport-cc feedback reports, so the publisher's
 * delay-based estimator reads the wait as queueing on the path and holds its bitrate down (issue 16). At a higher nice
 * value than the workers the ladder only gets the cores the packet path leaves; it falls behind (its queue drops and
 * counts) rather than the live stream.
 */
final class BackgroundPriority {
    /** Nice value of tap threads: under contention a nice-0 worker gets about ten times their share of a core. */
    static final int TAP_NICE = 10;

    private BackgroundPriority() {}

    /**
     * Sets the calling thread's nice value to {@code nice} (0 … 19: lowering needs no privilege). Returns why not, when
     * the platform has no per-thread nice value or the call failed; the thread then keeps its priority.
     */
    static Optional<String> lowerCurrentThread(int nice) {
        if (nice < 0 || nice > 19) throw new IllegalArgumentException("nice " + nice);
        return ThreadNice.setCurrentThread(nice);
    }
}
