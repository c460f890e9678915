package live.cascade.sfu.net;

/**
 * When the datagram being handled reached this host: the kernel's receive stamp of each datagram read, kept until
 * the next one. Worker thread only; when the kernel's stamps are not available every wait is unknown (0).
 */
final class ReceiveStamps {
    /** Null when the kernel's receive timestamps are not available. */
    private final KernelReceiveTimes kernelTimes;
    private long readAtNanos;
    private long readLatenessNanos;

    ReceiveStamps(KernelReceiveTimes kernelTimes) {
        this.kernelTimes = kernelTimes;
    }

    /** Called as each datagram is handed to us. */
    void onDatagramRead() {
        KernelReceiveTimes k = kernelTimes;
        if (k == null) return;
        readAtNanos = System.nanoTime();
        k.arrivalNanos(readAtNanos);
        readLatenessNanos = k.lastLatenessNanos();
    }

    /** Called as each ICE-TCP frame is handed to us: the kernel stamps datagrams only, so its wait is unknown. */
    void onStreamRead() {
        readLatenessNanos = 0;
    }

    /**
     * How long ago the datagram being handled reached this host: its wait in the socket before we read it (kernel
     * stamp) plus the time since. 0 when the kernel's stamps are not available.
     */
    long waitedNanos() {
        if (kernelTimes == null || readLatenessNanos == 0) return 0;
        return readLatenessNanos + (System.nanoTime() - readAtNanos);
    }
}
