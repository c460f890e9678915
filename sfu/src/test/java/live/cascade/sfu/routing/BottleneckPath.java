package live.cascade.sfu.routing;

import java.util.ArrayDeque;
import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.rtp.BigEndian;

/**
 * A viewer's network path for the bandwidth-estimation tests: one bottleneck link whose queue holds 300 ms (a packet
 * that would wait longer is dropped), 20 ms of propagation, and at the far end the viewer's transport-cc receiver,
 * which sends its feedback back to the router. Times are media clock nanoseconds.
 */
final class BottleneckPath {
    private static final long MS = 1_000_000L;

    private final TransportCcFeedback receiver = new TransportCcFeedback();
    private final byte[] feedback = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES];
    /** {arrival time, transport-cc number} of each packet on its way. */
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private long linkFreeAt;

    /** Puts packet {@code p} on a link of {@code capacity} bit/s at {@code now}. */
    void send(byte[] p, long now, long capacity) {
        long start = Math.max(now, linkFreeAt);
        if (start - now > 300 * MS) return; // the bottleneck's queue is full: dropped
        linkFreeAt = start + p.length * 8L * 1_000_000_000L / capacity;
        int seq = transportSequence(p);
        if (seq >= 0) inFlight.add(new long[] {linkFreeAt + 20 * MS, seq});
    }

    /** The receiver records what has arrived by {@code now}. */
    void deliver(long now) {
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= now) {
            long[] a = inFlight.poll();
            receiver.onPacket((int) a[1], a[0]);
        }
    }

    /** The receiver's feedback on what arrived since its last, into the viewer's RTCP input. */
    void feedBack(ViewerHandle viewer, long senderSsrc, long mediaSsrc) {
        int n;
        while ((n = receiver.write(feedback, 0, senderSsrc, mediaSsrc)) > 0) viewer.rtcpInput().onRtcp(feedback, 0, n);
    }

    /** The transport-cc number (one-byte extension id 3), -1 when absent. */
    private static int transportSequence(byte[] p) {
        if ((p[0] & 0x10) == 0 || BigEndian.u16(p, 12) != 0xBEDE) return -1;
        int end = 16 + 4 * BigEndian.u16(p, 14);
        for (int i = 16; i < end; ) {
            int b = p[i] & 0xFF;
            if (b == 0) { i++; continue; }
            int id = b >> 4, len = (b & 0xF) + 1;
            if (id == 3) return BigEndian.u16(p, i + 1);
            i += 1 + len;
        }
        return -1;
    }
}
