package live.cascade.api.http;

import io.javalin.http.Context;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@code --metrics-token} and {@code --metrics-allow} to a {@code /metrics} request: the client's address (after trusted proxies) must be
 * in an allowed network, and the request must bear the token. Refusals are problem documents, 403 and 401.
 */
public final class MetricsGuard {
    private final Optional<String> token;
    private final List<Cidr> allow;

    /** With neither a token nor networks every request passes. */
    public MetricsGuard(Optional<String> token, List<Cidr> allow) {
        this.token = token;
        this.allow = List.copyOf(allow);
    }

    public void check(Context ctx) {
        if (!allow.isEmpty()) {
            String client = ClientAddress.of(ctx);
            String bare = client.startsWith("[") && client.endsWith("]") ? client.substring(1, client.length() - 1) : client;
            Optional<InetAddress> address = Cidr.literal(bare);
            if (address.isEmpty() || allow.stream().noneMatch(n -> n.contains(address.get()))) {
                throw ApiException.forbidden("/metrics is not open to " + client + ": add its network to --metrics-allow");
            }
        }
        if (token.isPresent()) {
            String header = ctx.header("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
            // Constant time, so the token cannot be guessed a character at a time from response times.
            if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                throw ApiException.unauthorized(presented.isEmpty()
                        ? "/metrics needs the node's --metrics-token as 'Authorization: Bearer <token>' (Prometheus: authorization.credentials)"
                        : "the Bearer token is not this node's --metrics-token");
            }
        }
    }
}
