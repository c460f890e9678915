package live.cascade.sfu.ice;

import java.util.SplittableRandom;
import java.util.zip.CRC32;
import live.cascade.sfu.params.IceParameters;

/**
 * The controlling side of ICE toward an ICE-lite peer, as our node uses it when it pulls a channel from another node
 * (the relay): it writes Binding requests with USE-CANDIDATE (aggressive nomination: a lite peer selects the pair on
 * the first such check it answers) and recognises the peer's answers to them. Free of I/O; the transport sends what
 * it writes and hands it what arrives.
 *
 * <p>A response counts when its transaction id is one of the last {@value #OUTSTANDING} requests, its
 * MESSAGE-INTEGRITY verifies under the peer's password (RFC 8445 7.2.5.2.1 "the response was authenticated") and,
 * when present, its FINGERPRINT is right. Confined to the owning worker thread.
 */
public final class IceChecks {
    /** Requests whose answers are still recognised: a round of checks to a few candidates plus one late answer. */
    static final int OUTSTANDING = 8;
    /** RFC 8445 5.1.2.1: type preference 126 (host), local preference 65535, component 1. */
    private static final int HOST_PRIORITY = (126 << 24) | (65535 << 8) | 255;

    private final IceCredential remote;
    private final String username;
    private final long tieBreaker;
    private final SplittableRandom random;
    private final byte[] transactions = new byte[OUTSTANDING * 12];
    private int next;

    /** @param local our credentials (the offer's), @param remoteIce the peer's (its answer's) */
    public IceChecks(IceParameters local, IceParameters remoteIce, SplittableRandom random) {
        this.remote = new IceCredential(remoteIce);
        // RFC 8445 7.2.2: USERNAME is the peer's ufrag, a colon, ours.
        this.username = remoteIce.ufrag() + ":" + local.ufrag();
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    /** Writes the next Binding request into {@code out} (at least {@link StunMessages#MAX_REQUEST_LENGTH}); its length. */
    public int writeRequest(byte[] out, CRC32 crc) {
        int off = next * 12;
        for (int i = 0; i < 12; i++) transactions[off + i] = (byte) random.nextInt(256);
        next = (next + 1) % OUTSTANDING;
        return StunMessages.writeBindingRequest(out, transactions, off, username, HOST_PRIORITY, tieBreaker, remote, crc);
    }

    /**
     * True when {@code b[0..len)} is an authenticated Binding success response to one of our recent requests.
     *
     * @param scratch at least 20 bytes, reused by the caller
     */
    public boolean isAnswer(byte[] b, int len, CRC32 crc, byte[] scratch) {
        if (StunMessages.messageType(b, len) != StunMessages.BINDING_SUCCESS_RESPONSE) return false;
        boolean ours = false;
        for (int i = 0; i < OUTSTANDING && !ours; i++) ours = StunMessages.transactionIs(b, transactions, i * 12);
        if (!ours) return false;
        int fingerprint = StunMessages.findAttribute(b, len, StunMessages.ATTR_FINGERPRINT);
        if (fingerprint >= 0 && !StunMessages.fingerprintMatches(b, len, fingerprint, crc)) return false;
        int integrity = StunMessages.findAttribute(b, len, StunMessages.ATTR_MESSAGE_INTEGRITY);
        return integrity >= 0 && StunMessages.integrityMatches(b, len, integrity, remote, scratch);
    }
}
