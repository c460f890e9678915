package live.cascade.sfu.srtp;

/**
 * The highest SRTP or SRTCP index accepted on one SSRC and which of the 64 below it have arrived (RFC 3711 3.3.2;
 * 64 is also Jitsi SRTP's window). Senders use only {@link #highest()}.
 */
final class ReplayWindow {
    static final int SIZE = 64;

    private long highest;
    /** Bit i set: index (highest - i) has arrived. */
    private long seen = 1;

    ReplayWindow(long first) {
        highest = first;
    }

    long highest() { return highest; }

    /** Already accepted, or too far behind the highest to tell. */
    boolean replayed(long index) {
        long behind = highest - index;
        if (behind < 0) return false;
        return behind >= SIZE || (seen >>> behind & 1) != 0;
    }

    void accept(long index) {
        long behind = highest - index;
        if (behind < 0) {
            seen = -behind >= SIZE ? 1 : seen << -behind | 1;
            highest = index;
        } else if (behind < SIZE) {
            seen |= 1L << behind;
        }
    }
}
