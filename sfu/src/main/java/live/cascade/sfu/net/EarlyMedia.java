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

    private ArrayDeque<byte[]> kept;

    /** Keeps a copy of the datagram; false when the buffer is full. */
    boolean keep(byte[] buf, int len) {
        if (kept != null && kept.size() >= MAX_PACKETS) return false;
        if (kept == null) kept = new ArrayDeque<>();
        kept.add(Arrays.copyOf(buf, len));
        return true;
    }

    /** Hands the kept datagrams out once, oldest first, and forgets them. */
    ArrayDeque<byte[]> drain() {
        ArrayDeque<byte[]> early = kept;
        kept = null;
        return early;
    }

    void clear() {
        kept = null;
    }
}
