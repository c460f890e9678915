package live.cascade.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import live.cascade.sfu.srtp.SrtpStatus;

/**
 * The first few RTP packets the fleet refused on their SRTP tag, printed with what identifies them (which stream,
 * sequence number against the highest counted, length, time since the join), so a run that shows refusals says
 * whether they come from one stream kind, a sequence-number wrap, a join, or a damaged datagram. The count of all
 * refusals stays in the step lines; this only samples them.
 */
final class RefusalSamples {
    private static final int LIMIT = 12;
    private static final AtomicInteger printed = new AtomicInteger();

    private RefusalSamples() {}

    /** Reactor thread: one refused packet of {@code viewer}, from its clear RTP header. */
    static void note(LoadViewer viewer, long ssrc, int seq, int payloadType, int len, SrtpStatus status, long nowNanos) {
        if (printed.get() >= LIMIT) return;
        int n = printed.incrementAndGet();
        if (n > LIMIT) return;
        double sinceJoin = viewer.joinedNanos == 0 ? -1 : (nowNanos - viewer.joinedNanos) / 1e9;
        System.out.printf("[load] SRTP refusal sample %d of at most %d: viewer %d, %s, seq %d, payload type %d, %d bytes, %s, "
                        + "%.1f s after its first video packet%n",
                n, LIMIT, viewer.id, viewer.describeStream(ssrc), seq, payloadType, len, status, sinceJoin);
    }
}
