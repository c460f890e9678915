package live.cascade.api.config;

import live.cascade.api.http.Cidr;

import java.util.List;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: with a token, only requests that bear it; with networks, only clients in one of
 * them; with both, only clients that pass both; with neither, anyone (the default, for a node on a private network).
 */
public record MetricsAccess(Optional<String> token, List<Cidr> allow) {
    /** Never prints the token (configs end up in logs and failure messages). */
    @Override
    public String toString() {
        return "MetricsAccess[token=" + (token.isPresent() ? "(set)" : "(none)") + ", allow=" + allow + "]";
    }

    public static MetricsAccess open() {
        return new MetricsAccess(Optional.empty(), List.of());
    }
}
