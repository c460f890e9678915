package live.cascade.sfu.net;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * SRTP that arrives while our side of the DTLS handshake is still finishing, kept to decrypt once the keys exist: a
 * DTLS server peer (FFmpeg by default) starts sending media the moment it has sent its last flight, and those first
 * packets usually carry the keyframe a new viewer needs. Allocation here is bounded and happens only before SECURE.
 */
final class EarlyMedia {
    /** At most this many datagrams are kept. */
    static final int MAX_PACKETS = 64;

    /**
     * A kept datagram and when it reached this host ({@link System#nanoTime} clock). The arrival time travels with it:
     * replayed with the replay's time instead, a publisher's first packets (Chromium's first bandwidth probe among
     * them) were reported to it in transport-cc as arriving all at once, and Chromium rejects a probe whose packets
     * arrived faster than twice the rate they were sent at, so its estimate stayed at the first probe's ~0.9 Mbit/s
     * until the next probe 5 s later.
     */
    record Kept(byte[] datagram, long arrivalNanos) {}

    private ArrayDeque<Kept> kept;

    /** Keeps a copy of the datagram that arrived at {@code arrivalNanos}; false when the buffer is full. */
    boolean keep(byte[] buf, int len, long arrivalNanos) {
        if (kept != null && kept.size() >= MAX_PACKETS) return false;
        if (kept == null) kept = new ArrayDeque<>();
        kept.add(new Kept(Arrays.copyOf(buf, len), arrivalNanos));
        return true;
    }

    /** Hands the kept datagrams out once, oldest first, and forgets them. */
    ArrayDeque<Kept> drain() {
        ArrayDeque<Kept> early = kept;
        kept = null;
        return early;
    }

    void clear() {
        kept = null;
    }
}
