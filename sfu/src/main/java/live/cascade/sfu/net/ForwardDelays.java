package live.cascade.sfu.net;

/**
 * One worker's histogram of how long a publisher's RTP packet spent in this node: from the kernel's receive stamp to
 * the moment its handling returned, its copies handed on (written for the viewers' sockets, queued in their pacers, or
 * passed to the worker that serves them). That is the worker's wake-up, any wait behind the datagrams read before it,
 * and the packet's own work; a pacer's deliberate hold afterwards is not in it.
 *
 * <p>Why it is kept: on a loaded host this is where a node's own latency shows. Issue 16's captures found a fresh
 * node taking 0.1–0.3 ms per video packet until the JIT compiled the packet path (1–2 minutes at one stream's rate),
 * 2–4 ms at p90 with two busy processes on a 2-core host, and 20–75 ms while a collector pause stopped the worker.
 *
 * <p>Plain arrays written only on the worker thread, as {@link PacketCounters}; read a copy with
 * {@link MediaWorker#forwardDelays()}. Recording is a compare per bound and an increment: nothing allocated.
 */
public final class ForwardDelays {
    /** Upper bounds of the buckets, nanoseconds; a last, unbounded bucket follows. */
    static final long[] BOUNDS_NANOS = {
            100_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000};

    private final long[] counts = new long[BOUNDS_NANOS.length + 1];
    private long sumNanos;

    ForwardDelays() {}

    /** Records one packet that reached the host at {@code arrivedAtNanos} ({@link System#nanoTime()} scale), if known. */
    void recordSince(long arrivedAtNanos) {
        if (arrivedAtNanos < 0) return;
        record(System.nanoTime() - arrivedAtNanos);
    }

    void record(long nanos) {
        if (nanos < 0) nanos = 0;
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        counts[i]++;
        sumNanos += nanos;
    }

    Snapshot snapshot() {
        return new Snapshot(counts.clone(), sumNanos);
    }

    /**
     * Packets per bucket (not cumulative; bucket {@code i} holds delays above bound {@code i-1} up to bound {@code i},
     * the last one everything above the last bound) and the sum of every delay, nanoseconds.
     */
    public record Snapshot(long[] counts, long sumNanos) {
        public static final Snapshot EMPTY = new Snapshot(new long[BOUNDS_NANOS.length + 1], 0);

        public Snapshot {
            if (counts.length != BOUNDS_NANOS.length + 1) throw new IllegalArgumentException("counts: " + counts.length);
            counts = counts.clone();
        }

        /** Bucket upper bounds in seconds, the last one {@code +Inf}, as a Prometheus histogram has them. */
        public static double[] upperBoundsSeconds() {
            double[] out = new double[BOUNDS_NANOS.length + 1];
            for (int i = 0; i < BOUNDS_NANOS.length; i++) out[i] = BOUNDS_NANOS[i] / 1e9;
            out[BOUNDS_NANOS.length] = Double.POSITIVE_INFINITY;
            return out;
        }

        @Override
        public long[] counts() { return counts.clone(); }

        public long count() {
            long n = 0;
            for (long c : counts) n += c;
            return n;
        }

        public Snapshot plus(Snapshot other) {
            long[] sum = counts.clone();
            for (int i = 0; i < sum.length; i++) sum[i] += other.counts[i];
            return new Snapshot(sum, sumNanos + other.sumNanos);
        }
    }
}
