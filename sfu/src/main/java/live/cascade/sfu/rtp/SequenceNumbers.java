package live.cascade.sfu.rtp;

import java.util.random.RandomGenerator;

/** 16-bit RTP sequence-number arithmetic (RFC 3550 wraps at 65536). */
public final class SequenceNumbers {
    public static final int MODULUS = 1 << 16;
    public static final int MASK = MODULUS - 1;

    private SequenceNumbers() {}

    /** Signed distance {@code a - b} in [-32768, 32767]. */
    public static int diff(int a, int b) { return (short) (a - b); }

    /**
     * True when {@code a} comes after {@code b}. Exactly half the space apart is ambiguous; we break the tie by value
     * so that exactly one of {@code isNewer(a,b)} and {@code isNewer(b,a)} holds.
     */
    public static boolean isNewer(int a, int b) {
        int d = (a - b) & MASK;
        if (d == MODULUS / 2) return (a & MASK) > (b & MASK);
        return d != 0 && d < MODULUS / 2;
    }

    public static int add(int seq, int n) { return (seq + n) & MASK; }

    /**
     * A random first sequence number for a stream we send over SRTP, in the lower half of the space (as libwebrtc
     * does). An SRTP receiver takes a new stream's rollover counter to be 0 at the first packet it gets (RFC 3711
     * 3.3.1); a stream that started near 65535 and wrapped before the viewer's first received packet (the first few
     * lost at the join) would then fail authentication on every packet, for good. From below 32768 a stream wraps only
     * after 32,768 packets, far beyond any loss at its start.
     */
    public static int randomInitial(RandomGenerator random) { return random.nextInt(MODULUS / 2); }
}
