package live.cascade.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;

/**
 * The {@link ReplayWindow} of every SSRC one AES-CM transform has seen, in an int-keyed map so the per-packet lookup
 * does not box. A receiver adds an SSRC only for a packet that authenticated.
 */
final class SsrcWindows {
    private final IntObjectHashMap<ReplayWindow> windows = new IntObjectHashMap<>();

    /** The SSRC's window, or null if it has none yet. */
    ReplayWindow get(int ssrc) { return windows.get(ssrc); }

    /** Records {@code index} as sent or accepted: in {@code window}, or in a new one starting there. */
    void record(int ssrc, ReplayWindow window, long index) {
        if (window == null) {
            windows.put(ssrc, new ReplayWindow(index));
        } else {
            window.accept(index);
        }
    }

    int size() { return windows.size(); }

    /** A receiver stops learning SSRCs here ({@link SrtpSession#MAX_REMOTE_SSRCS}): a peer can name any it likes. */
    boolean full() { return windows.size() >= SrtpSession.MAX_REMOTE_SSRCS; }

    void clear() { windows.clear(); }
}
