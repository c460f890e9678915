package live.cascade.sfu.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The ICE-lite state of one transport, free of I/O so it can be tested with a fake clock: which local credentials
 * are live (current, plus a pending generation during an ICE restart), which remote address is selected, and when
 * consent was last refreshed (RFC 7675).
 *
 * <p>Nomination is lenient the way deployed servers are: a check carrying USE-CANDIDATE nominates its pair, and
 * unless {@code requireUseCandidate} is set, so does any authenticated check while the ICE generation has no selected
 * pair yet (FFmpeg's WHIP muxer sends only USERNAME, USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT, with no
 * PRIORITY or ICE-CONTROLLING; other clients do regular nomination and select later). Consent is refreshed only by
 * checks on the selected pair.
 *
 * <p>Confined to the owning worker thread.
 */
public final class IceLiteAgent {
    private final boolean requireUseCandidate;
    private IceCredential current;
    private IceCredential pending;
    private InetSocketAddress selected;
    private boolean everSelected;
    private long lastConsentNanos;

    public IceLiteAgent(IceCredential initial, boolean requireUseCandidate, long nowNanos) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.requireUseCandidate = requireUseCandidate;
        this.lastConsentNanos = nowNanos;
    }

    /** The live credential whose ufrag is {@code localUfrag}, or null (a retired or foreign ufrag). */
    public IceCredential credentialFor(String localUfrag) {
        if (current.ufrag().equals(localUfrag)) return current;
        if (pending != null && pending.ufrag().equals(localUfrag)) return pending;
        return null;
    }

    public IceCredential current() { return current; }

    public IceCredential pending() { return pending; }

    public InetSocketAddress selected() { return selected; }

    public boolean everSelected() { return everSelected; }

    /**
     * Starts an ICE restart: checks under {@code fresh} are accepted alongside the current credentials, and the old
     * ones stay valid (the old pair keeps media flowing) until the new generation nominates a pair.
     *
     * @return the pending credential this one supersedes (restart requested twice before completing), or null
     */
    public IceCredential beginRestart(IceCredential fresh) {
        IceCredential superseded = pending;
        pending = Objects.requireNonNull(fresh, "fresh");
        return superseded;
    }

    /** Applies one check whose MESSAGE-INTEGRITY verified under {@code used} (one of the live credentials). */
    public CheckOutcome onAuthenticatedCheck(IceCredential used, InetSocketAddress from, boolean useCandidate,
                                             long nowNanos) {
        if (used == pending) {
            // A restarted ICE session starts with no selected pair of its own, so leniency applies to it afresh.
            if (!useCandidate && requireUseCandidate) return CheckOutcome.VALIDATED;
            current = pending;
            pending = null;
            select(from, nowNanos);
            return CheckOutcome.RESTART_COMPLETED;
        }
        if (used != current) throw new IllegalArgumentException("not a live credential: " + used);
        if (useCandidate || (selected == null && !requireUseCandidate)) {
            boolean changed = !from.equals(selected);
            select(from, nowNanos);
            return changed ? CheckOutcome.SELECTED : CheckOutcome.CONSENT_REFRESHED;
        }
        if (from.equals(selected)) {
            lastConsentNanos = nowNanos;
            return CheckOutcome.CONSENT_REFRESHED;
        }
        return CheckOutcome.VALIDATED;
    }

    /**
     * An authenticated answer to one of our own checks from {@code from} (we are the controlling agent toward a lite
     * peer, {@link IceChecks}): the first one selects its pair, later ones on that pair refresh consent.
     */
    public CheckOutcome onCheckAnswered(InetSocketAddress from, long nowNanos) {
        if (selected == null) {
            select(from, nowNanos);
            return CheckOutcome.SELECTED;
        }
        if (from.equals(selected)) {
            lastConsentNanos = nowNanos;
            return CheckOutcome.CONSENT_REFRESHED;
        }
        return CheckOutcome.VALIDATED;
    }

    /** True when nothing refreshed consent (or, before any selection, nothing was selected) for {@code timeoutNanos}. */
    public boolean consentExpired(long nowNanos, long timeoutNanos) {
        return nowNanos - lastConsentNanos > timeoutNanos;
    }

    private void select(InetSocketAddress from, long nowNanos) {
        selected = from;
        everSelected = true;
        lastConsentNanos = nowNanos;
    }
}
