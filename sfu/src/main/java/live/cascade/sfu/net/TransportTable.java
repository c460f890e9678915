package live.cascade.sfu.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import live.cascade.sfu.ice.IceCredentials;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.transport.CloseReason;

/**
 * A worker's transports and the two indexes its datagrams are routed by: STUN by the local ufrag of the check, DTLS
 * and SRTP by the source address an authenticated check came from. Worker thread only, so plain maps.
 */
final class TransportTable {
    private final HashMap<String, PeerTransport> byUfrag = new HashMap<>();
    private final HashMap<InetSocketAddress, PeerTransport> byAddress = new HashMap<>();
    private final ArrayList<PeerTransport> transports = new ArrayList<>();
    private final PacketCounters counters;
    private long nextId;

    TransportTable(PacketCounters counters) {
        this.counters = counters;
    }

    /** Fresh local ICE credentials whose ufrag no transport of this worker uses. */
    IceParameters uniqueLocalIce() {
        IceParameters local;
        do {
            local = IceCredentials.random();
        } while (byUfrag.containsKey(local.ufrag()));
        return local;
    }

    long nextId() { return nextId++; }

    void add(PeerTransport transport, String ufrag) {
        byUfrag.put(ufrag, transport);
        transports.add(transport);
        counters.increment(Counter.TRANSPORTS_CREATED);
    }

    void remove(PeerTransport transport) {
        transports.remove(transport);
        counters.increment(Counter.TRANSPORTS_CLOSED);
    }

    int size() { return transports.size(); }

    PeerTransport byUfrag(String ufrag) { return byUfrag.get(ufrag); }

    PeerTransport byAddress(InetSocketAddress address) { return byAddress.get(address); }

    void registerUfrag(String ufrag, PeerTransport transport) { byUfrag.put(ufrag, transport); }

    void unregisterUfrag(String ufrag, PeerTransport transport) { byUfrag.remove(ufrag, transport); }

    /** Routes DTLS and SRTP from {@code address} to {@code transport}; the latest authenticated check wins. */
    void registerAddress(InetSocketAddress address, PeerTransport transport) {
        PeerTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) previous.forgetAddress(address);
    }

    void unregisterAddress(InetSocketAddress address, PeerTransport transport) { byAddress.remove(address, transport); }

    /** Closes transports whose consent lapsed or whose setup took too long (newest first; closing removes). */
    void sweep(long nowNanos, long consentTimeoutNanos, long setupTimeoutNanos) {
        for (int i = transports.size() - 1; i >= 0; i--) {
            if (i < transports.size()) transports.get(i).checkTimeouts(nowNanos, consentTimeoutNanos, setupTimeoutNanos);
        }
    }

    void closeAll(CloseReason reason, String detail) {
        for (int i = transports.size() - 1; i >= 0; i--) {
            if (i < transports.size()) transports.get(i).close(reason, detail);
        }
    }
}
