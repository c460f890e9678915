package live.cascade.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How clients behind networks that block UDP still reach the node: passive ICE-TCP on the media workers, and TURN
 * through a coturn beside the node with short-lived credentials minted here (TURN REST API, coturn's
 * {@code use-auth-secret}).
 *
 * @param iceTcpPort          first TCP port of the media workers' passive ICE-TCP (worker i on iceTcpPort + i); 0 any
 *                            free port; {@link #ICE_TCP_OFF} off
 * @param turnUrls            turn:/turns: URLs handed out with minted credentials (empty: no TURN)
 * @param turnSecret          the secret shared with coturn ({@code static-auth-secret})
 * @param turnCredentialTtl   lifetime of a minted credential
 */
public record ReachConfig(int iceTcpPort, List<String> turnUrls, Optional<String> turnSecret, Duration turnCredentialTtl) {
    public static final int ICE_TCP_OFF = -1;

    public ReachConfig {
        turnUrls = List.copyOf(turnUrls);
    }

    public boolean iceTcp() { return iceTcpPort != ICE_TCP_OFF; }

    /** TURN is on when there are URLs to hand out and a secret to mint their credentials with. */
    public boolean turn() { return !turnUrls.isEmpty() && turnSecret.isPresent(); }
}
