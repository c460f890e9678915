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

    /** Reactor thread; {@code b} holds the datagram as received (its RTP header is in the clear). */
    static void note(LoadViewer viewer, byte[] b, int len, SrtpStatus status, long nowNanos) {
        if (printed.get() >= LIMIT || len < 12) return;
        int n = printed.incrementAndGet();
        if (n > LIMIT) return;
        int seq = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        long ssrc = ((b[8] & 0xFFL) << 24) | ((b[9] & 0xFF) << 16) | ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
        int payloadType = b[1] & 0x7F;
        double sinceJoin = viewer.joinedNanos == 0 ? -1 : (nowNanos - viewer.joinedNanos) / 1e9;
        System.out.printf("[load] SRTP refusal sample %d of at most %d: viewer %d, %s, seq %d, payload type %d, %d bytes, %s, "
                        + "%.1f s after its first video packet%n",
                n, LIMIT, viewer.id, viewer.describeStream(ssrc), seq, payloadType, len, status, sinceJoin);
    }
}
