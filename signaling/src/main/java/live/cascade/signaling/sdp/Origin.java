package live.cascade.signaling.sdp;

import java.util.List;
import java.util.Objects;

/** The {@code o=} line. Session id and version stay strings: clients send 64-bit and larger values. */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {
    public Origin {
        for (String t : List.of(Objects.requireNonNull(username, "username"), Objects.requireNonNull(sessionId, "sessionId"),
                Objects.requireNonNull(sessionVersion, "sessionVersion"), Objects.requireNonNull(netType, "netType"),
                Objects.requireNonNull(addrType, "addrType"), Objects.requireNonNull(address, "address"))) {
            if (!Text.isToken(t)) throw new IllegalArgumentException("o= field is not a single token: " + Text.quote(t));
        }
    }

    static Origin parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.size() != 6) {
            throw new SdpParseException("o= needs 6 fields '<username> <sess-id> <sess-version> <nettype> <addrtype> "
                    + "<address>', got " + t.size() + " in " + Text.quote(value));
        }
        return new Origin(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
    }

    String value() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
    }
}
