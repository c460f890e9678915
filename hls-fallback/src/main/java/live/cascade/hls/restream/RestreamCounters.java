package live.cascade.hls.restream;

import java.util.concurrent.atomic.LongAdder;

/** Node-wide restream totals for {@code /metrics}: no per-destination labels. */
public final class RestreamCounters {
    final LongAdder connects = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder droppedFrames = new LongAdder();

    /** Connections to a destination that got as far as sending. */
    public long connects() { return connects.sum(); }

    /** Attempts that failed (connect refused, destination went away, a write that failed); each is retried. */
    public long failures() { return failures.sum(); }

    /** Frames dropped because a destination fell behind (its queue was full). */
    public long droppedFrames() { return droppedFrames.sum(); }
}
