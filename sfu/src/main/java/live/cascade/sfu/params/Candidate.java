package live.cascade.sfu.params;

import java.util.Objects;

/**
 * A host candidate the server advertises: UDP, or passive ICE-TCP (RFC 6544: the peer connects, we accept) on
 * {@code address:port}.
 */
public record Candidate(String address, int port, long priority, Protocol protocol) {
    /** How a candidate is reached. */
    public enum Protocol {
        UDP,
        /** TCP, {@code tcptype passive}: the peer opens the connection to us; packets are RFC 4571 framed. */
        TCP_PASSIVE
    }

    public Candidate {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** A UDP host candidate. */
    public Candidate(String address, int port, long priority) {
        this(address, port, priority, Protocol.UDP);
    }
}
