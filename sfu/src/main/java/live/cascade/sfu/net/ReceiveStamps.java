package live.cascade.sfu.net;

/**
 * When the datagram being handled reached this host: the kernel's receive stamp of the last datagram read, asked for
 * only when someone wants it. Worker thread only; when the kernel's stamps are not available every wait is unknown (0).
 *
 * <p>Only a publisher's RTP needs the stamp (its transport-cc feedback), about 5 % of what a worker reads at a few
 * hundred viewers: the rest is the viewers' RTCP (a transport-cc feedback every 50 ms each). So the
 * {@code ioctl(SIOCGSTAMPNS)} and the clock read are made when {@link #waitedNanos} is called, while the datagram is
 * still the socket's last one (the handling is synchronous, before the next read), not for every datagram read.
 */
final class ReceiveStamps {
    /** Null when the kernel's receive timestamps are not available. */
    private final KernelReceiveTimes kernelTimes;
    /** False after an ICE-TCP frame: the kernel stamps datagrams only. */
    private boolean datagram;
    /** The datagram's wait, once asked for; -1 until then. */
    private long waitedNanos = -1;
    /** When the datagram reached this host ({@link System#nanoTime()} scale) once its wait is known; -1 otherwise. */
    private long arrivedAtNanos = -1;

    ReceiveStamps(KernelReceiveTimes kernelTimes) {
        this.kernelTimes = kernelTimes;
    }

    /** Called as each datagram is handed to us. */
    void onDatagramRead() {
        datagram = true;
        waitedNanos = -1;
        arrivedAtNanos = -1;
    }

    /** Called as each ICE-TCP frame is handed to us: the kernel stamps datagrams only, so its wait is unknown. */
    void onStreamRead() {
        datagram = false;
        waitedNanos = -1;
        arrivedAtNanos = -1;
    }

    /**
     * How long ago the datagram being handled reached this host: the kernel's stamp of the socket's last datagram
     * against the clock now. 0 when unknown (no kernel stamps, an ICE-TCP frame, no stamp for the datagram).
     */
    long waitedNanos() {
        KernelReceiveTimes k = kernelTimes;
        if (k == null || !datagram) return 0;
        if (waitedNanos < 0) {
            long now = System.nanoTime();
            k.arrivalNanos(now);
            waitedNanos = k.lastLatenessNanos();
            // 0 is what the kernel's missing or implausible stamp gives: then the arrival is not known.
            arrivedAtNanos = waitedNanos > 0 ? now - waitedNanos : -1;
        }
        return waitedNanos;
    }

    /**
     * When the datagram being handled reached this host, on {@link System#nanoTime()}'s scale, once
     * {@link #waitedNanos} was asked for it and the kernel had a stamp; -1 otherwise.
     */
    long arrivedAtNanos() {
        return arrivedAtNanos;
    }
}
