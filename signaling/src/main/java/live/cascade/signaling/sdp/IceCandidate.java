package live.cascade.signaling.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.sfu.params.Candidate;

/**
 * {@code a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [<name> <value>]...}
 * (RFC 8839). Everything after the type (raddr, rport, tcptype, generation, ufrag, network-id...) is kept as
 * tokens so unknown extensions survive; the address may be an IP or an mDNS host name.
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
                           int port, String type, List<String> extensions) {
    public IceCandidate {
        for (String t : List.of(Objects.requireNonNull(foundation, "foundation"), Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(address, "address"), Objects.requireNonNull(type, "type"))) {
            if (!Text.isToken(t)) throw new IllegalArgumentException("candidate field is not a single token: " + Text.quote(t));
        }
        extensions = List.copyOf(extensions);
        for (String t : extensions) {
            if (!Text.isToken(t)) throw new IllegalArgumentException("candidate extension is not a single token: " + Text.quote(t));
        }
        if (component < 1 || component > 256) throw new IllegalArgumentException("component out of range: " + component);
        if (priority < 0 || priority > 0xFFFF_FFFFL) throw new IllegalArgumentException("priority out of range: " + priority);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public static IceCandidate parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.size() < 8 || !t.get(6).equalsIgnoreCase("typ")) {
            throw new SdpParseException("a=candidate value " + Text.quote(value) + " is not '<foundation> <component> "
                    + "<transport> <priority> <address> <port> typ <type> ...'");
        }
        int component = Text.intNumber(t.get(1), 1, 256, "candidate component");
        long priority = Text.number(t.get(3), 0, 0xFFFF_FFFFL, "candidate priority");
        int port = Text.intNumber(t.get(5), 0, 65535, "candidate port");
        return new IceCandidate(t.get(0), component, t.get(2), priority, t.get(4), port, t.get(7), t.subList(8, t.size()));
    }

    /** A server host candidate on RTP component 1: UDP, or passive ICE-TCP ({@code tcp ... tcptype passive}, RFC 6544). */
    public static IceCandidate host(String foundation, Candidate c) {
        return switch (c.protocol()) {
            case UDP -> new IceCandidate(foundation, 1, "udp", c.priority(), c.address(), c.port(), "host", List.of());
            case TCP_PASSIVE -> new IceCandidate(foundation, 1, "tcp", c.priority(), c.address(), c.port(), "host",
                    List.of("tcptype", "passive"));
        };
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    /** The value following a named extension token, e.g. {@code extension("tcptype")}. */
    public Optional<String> extension(String name) {
        for (int i = 0; i + 1 < extensions.size(); i += 2) {
            if (extensions.get(i).equalsIgnoreCase(name)) return Optional.of(extensions.get(i + 1));
        }
        return Optional.empty();
    }

    public String value() {
        StringBuilder b = new StringBuilder()
                .append(foundation).append(' ').append(component).append(' ').append(transport)
                .append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        for (String e : extensions) b.append(' ').append(e);
        return b.toString();
    }

    public Attribute toAttribute() {
        return Attribute.of("candidate", value());
    }
}
