package live.cascade.signaling.session;

/**
 * How the node's media sessions are shared out.
 *
 * @param maxSessions              WHIP plus WHEP sessions at once
 * @param publisherShare           WHIP sessions at once (the publishers' reserve of the node's sessions)
 * @param viewerShare              WHEP sessions at once
 * @param pendingViewersPerAddress WHEP sessions one client address may have still setting up (ICE/DTLS not done);
 *                                 connected ones do not count, so viewers behind one NAT are not locked out
 * @param pendingViewersPerChannel WHEP sessions one channel may have still setting up, from all addresses together
 */
public record AdmissionLimits(int maxSessions, int publisherShare, int viewerShare, int pendingViewersPerAddress,
                              int pendingViewersPerChannel) {
    public AdmissionLimits {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1");
        if (publisherShare < 1) throw new IllegalArgumentException("publisherShare must be at least 1");
        if (viewerShare < 1) throw new IllegalArgumentException("viewerShare must be at least 1");
        if (pendingViewersPerAddress < 1) throw new IllegalArgumentException("pendingViewersPerAddress must be at least 1");
        if (pendingViewersPerChannel < 1) throw new IllegalArgumentException("pendingViewersPerChannel must be at least 1");
    }

    /**
     * {@code maxSessions} split into a publisher reserve of {@code publisherReserve} sessions and a viewer share of
     * the rest, so neither kind can take the other's slots.
     */
    public static AdmissionLimits split(int maxSessions, int publisherReserve, int pendingPerAddress, int pendingPerChannel) {
        if (publisherReserve < 1 || publisherReserve >= maxSessions) {
            throw new IllegalArgumentException("the publisher reserve (" + publisherReserve + ") must be 1 to "
                    + (maxSessions - 1) + ", below the session limit (" + maxSessions + ")");
        }
        return new AdmissionLimits(maxSessions, publisherReserve, maxSessions - publisherReserve, pendingPerAddress, pendingPerChannel);
    }

    /** One pool of {@code maxSessions} for both kinds and no per-address or per-channel cap (embedded uses and tests). */
    public static AdmissionLimits unshared(int maxSessions) {
        return new AdmissionLimits(maxSessions, maxSessions, maxSessions, maxSessions, maxSessions);
    }
}
