package live.cascade.hls;

import live.cascade.hls.segment.CmafSegmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs each kind of failure of one channel's tap once, with the channel, and counts the repeats: a broken stream
 * makes the same FFmpeg call fail thirty times a second, and one line says all there is to say. The counts are
 * summed up when the tap ends.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger("live.cascade.hls.tap");

    private final String channel;
    private final TapMetrics metrics;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    FailureLog(String channel, TapMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    void failed(String what, Exception e) {
        metrics.ffmpegErrors.increment();
        long n = counts.merge(what, 1L, Long::sum);
        if (n == 1) LOG.warn("channel {}: {} failed: {} (further failures of this kind are counted, not logged)", channel, what, e.getMessage());
    }

    /** Runs one step of a stage; a failure is logged (once per kind) and the stage carries on with the next frame. */
    void guard(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed(what, e);
        }
    }

    /** Runs a segmenter step; a failure resets that segmenter, which starts over (discontinuous) at the next boundary. */
    void guard(String what, Runnable step, CmafSegmenter s) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed(what, e);
            try {
                s.reset();
            } catch (RuntimeException again) {
                failed(what + " reset", again);
            }
        }
    }

    void summary() {
        counts.forEach((what, n) -> {
            if (n > 1) LOG.info("channel {}: {} failed {} times during the broadcast", channel, what, n);
        });
    }
}
