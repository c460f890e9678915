package live.cascade.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Operator-facing automation: how many player QoE beacons one address may send per minute (0: QoE collection off),
 * and the optional WHIP admission hook with its timeout and what its failure means.
 */
public record OperationsConfig(int qoeBeaconsPerIp, Optional<URI> whipAdmissionUrl, Duration whipAdmissionTimeout,
                               boolean whipAdmissionFailOpen) {

    public static OperationsConfig defaults() {
        return new OperationsConfig(60, Optional.empty(), Duration.ofSeconds(2), false);
    }
}
