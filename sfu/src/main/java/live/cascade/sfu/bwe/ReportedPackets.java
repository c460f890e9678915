package live.cascade.sfu.bwe;

/**
 * Scratch for reading one transport-cc feedback: its decoded statuses and deltas, then the packets it reported
 * received (send time, arrival, size, probe cluster) sorted by arrival. Nothing in it outlives the read, so one per
 * worker thread serves every viewer on it ({@link #onThisThread}); one per viewer was 116 KB each.
 */
final class ReportedPackets {
    /** Packets one feedback may report that we look at; a feedback reporting more is read up to here. */
    static final int MAX_REPORTED = 1 << 12;
    private static final ThreadLocal<ReportedPackets> PER_THREAD = ThreadLocal.withInitial(ReportedPackets::new);

    final byte[] statuses = new byte[MAX_REPORTED];
    final int[] deltas = new int[MAX_REPORTED];
    final long[] send = new long[MAX_REPORTED];
    final long[] arrival = new long[MAX_REPORTED];
    final int[] size = new int[MAX_REPORTED];
    final int[] cluster = new int[MAX_REPORTED];

    /** This thread's scratch (made on its first feedback). Estimators run on their worker's thread only. */
    static ReportedPackets onThisThread() { return PER_THREAD.get(); }

    /** Puts a packet at its place by arrival among the first {@code n}: feedback is nearly sorted, so linear in practice. */
    void insertByArrival(int n, long sendNanos, long arrivalNanos, int bytes, int probeCluster) {
        int i = n;
        while (i > 0 && arrival[i - 1] > arrivalNanos) {
            send[i] = send[i - 1];
            arrival[i] = arrival[i - 1];
            size[i] = size[i - 1];
            cluster[i] = cluster[i - 1];
            i--;
        }
        send[i] = sendNanos;
        arrival[i] = arrivalNanos;
        size[i] = bytes;
        cluster[i] = probeCluster;
    }
}
