package live.cascade.sfu.params;

import java.util.Objects;

/** A host candidate the server advertises: UDP on {@code address:port}. */
public record Candidate(String address, int port, long priority) {
    public Candidate {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }
}
