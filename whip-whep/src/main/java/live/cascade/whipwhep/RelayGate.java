package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

import java.util.List;
import java.util.Optional;

/**
 * Decides whether a WHEP request that says it is a relay from another node ({@value #PATH_HEADER} present) may pull
 * a channel: its {@code Authorization: Bearer} must be a relay credential of this deployment for that channel, and
 * the nodes it has passed must not include this one (a loop). Empty means yes.
 */
public interface RelayGate {
    /** The nodes a relay request has passed, comma-separated, the first node that asked first. */
    String PATH_HEADER = "X-Cascade-Relay-Path";

    /** Why a relay request is refused: the status, title and detail of its problem document. */
    record Refusal(int status, String title, String detail) {}

    /** A node that takes no relays (tests, embedded uses). */
    RelayGate CLOSED = (channel, bearer, path) -> Optional.of(new Refusal(403, "Forbidden", "This node does not serve relays."));

    Optional<Refusal> refusal(ChannelRef channel, Optional<String> bearer, List<String> path);

    /** The node ids of a {@value #PATH_HEADER} value, trimmed, empty entries dropped. */
    static List<String> parsePath(String header) {
        return java.util.Arrays.stream(header.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
