package live.cascade.sfu.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import live.cascade.sfu.ice.CheckOutcome;
import live.cascade.sfu.ice.IceCredential;
import live.cascade.sfu.ice.IceLiteAgent;
import live.cascade.sfu.params.IceParameters;

/**
 * The ICE-lite side of one transport: its credentials (and their restarts), the selected pair, consent, and the
 * remote addresses it registered in the worker's {@link TransportTable}. Worker thread only, except the volatile
 * credentials, which control threads read for answers and PATCH responses.
 */
final class TransportIce {
    /** A peer rarely checks from more than a couple of addresses; this bounds the routing entries it can create. */
    private static final int MAX_REMOTE_ADDRESSES = 8;

    private final PeerTransport owner;
    private final TransportTable table;
    private final IceLiteAgent agent;
    private final ArrayList<InetSocketAddress> remoteAddresses = new ArrayList<>(2);
    private volatile IceParameters localIce;
    private volatile IceParameters remoteIce;

    TransportIce(PeerTransport owner, TransportTable table, IceParameters localIce, IceParameters remoteIce,
                 boolean requireUseCandidate, long nowNanos) {
        this.owner = owner;
        this.table = table;
        this.localIce = localIce;
        this.remoteIce = remoteIce;
        this.agent = new IceLiteAgent(new IceCredential(localIce), requireUseCandidate, nowNanos);
    }

    IceParameters localIce() { return localIce; }

    IceParameters remoteIce() { return remoteIce; }

    IceCredential credentialFor(String localUfrag) { return agent.credentialFor(localUfrag); }

    InetSocketAddress selected() { return agent.selected(); }

    boolean everSelected() { return agent.everSelected(); }

    boolean consentExpired(long nowNanos, long timeoutNanos) { return agent.consentExpired(nowNanos, timeoutNanos); }

    /** Records an authenticated check and routes its source address here; says whether it selected a pair. */
    CheckOutcome onAuthenticatedCheck(IceCredential used, InetSocketAddress from, boolean useCandidate, long nowNanos) {
        IceCredential before = agent.current();
        CheckOutcome outcome = agent.onAuthenticatedCheck(used, from, useCandidate, nowNanos);
        rememberAddress(from);
        if (outcome == CheckOutcome.RESTART_COMPLETED) table.unregisterUfrag(before.ufrag(), owner);
        return outcome;
    }

    /** An authenticated answer to our own check (controlling side): selects the first pair, then refreshes consent. */
    CheckOutcome onCheckAnswered(InetSocketAddress from, long nowNanos) {
        CheckOutcome outcome = agent.onCheckAnswered(from, nowNanos);
        rememberAddress(from);
        return outcome;
    }

    /** Routes DTLS and SRTP from a peer candidate we check ourselves (controlling side), before any answer. */
    void expect(InetSocketAddress candidate) {
        rememberAddress(candidate);
    }

    /** Issues new local credentials; checks under the old ones keep being answered until the new ones select a pair. */
    IceParameters restart(IceParameters newRemoteIce) {
        IceParameters fresh = table.uniqueLocalIce();
        IceCredential superseded = agent.beginRestart(new IceCredential(fresh));
        if (superseded != null) table.unregisterUfrag(superseded.ufrag(), owner);
        table.registerUfrag(fresh.ufrag(), owner);
        remoteIce = newRemoteIce;
        localIce = fresh;
        return fresh;
    }

    /** Another transport authenticated from {@code address}; stop routing it here. */
    void forgetAddress(InetSocketAddress address) {
        remoteAddresses.remove(address);
    }

    /** Removes every ufrag and address of this transport from the worker's indexes. */
    void release() {
        table.unregisterUfrag(agent.current().ufrag(), owner);
        if (agent.pending() != null) table.unregisterUfrag(agent.pending().ufrag(), owner);
        for (InetSocketAddress address : remoteAddresses) table.unregisterAddress(address, owner);
        remoteAddresses.clear();
    }

    private void rememberAddress(InetSocketAddress from) {
        if (!remoteAddresses.contains(from)) {
            if (remoteAddresses.size() >= MAX_REMOTE_ADDRESSES) {
                for (int i = 0; i < remoteAddresses.size(); i++) {
                    InetSocketAddress old = remoteAddresses.get(i);
                    if (!old.equals(agent.selected())) {
                        remoteAddresses.remove(i);
                        table.unregisterAddress(old, owner);
                        break;
                    }
                }
            }
            remoteAddresses.add(from);
        }
        table.registerAddress(from, owner);
    }
}
