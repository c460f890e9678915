package live.cascade.api.http;

import io.javalin.config.JavalinConfig;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import org.eclipse.jetty.io.Connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the TCP connections one peer address (its /64 for IPv6) holds open to the HTTP server. A connection past the cap
 * is still accepted, but every request on it is answered 429 with {@code Retry-After} and {@code Connection: close},
 * so the client learns why instead of seeing a reset. Trusted proxies ({@code --trusted-proxies}) carry many clients
 * on their connections and are not capped; behind them the per-client limits are per request (the throttles).
 *
 * <p>Registered on the connector as a {@link Connection.Listener}: opening and closing are counted once per
 * connection, never per request or per byte.
 */
public final class ConnectionsPerAddress implements Connection.Listener {
    static final long RETRY_AFTER_SECONDS = 5;

    private final OpenPerAddress open;
    private final List<Cidr> exempt;
    private final Refusals refusals;
    /** Admitted connections and the key they count against. */
    private final ConcurrentHashMap<Connection, String> admitted = new ConcurrentHashMap<>();
    /** Remote ip|port of connections past the cap, for the request check. */
    private final Set<String> overCap = ConcurrentHashMap.newKeySet();

    public ConnectionsPerAddress(int perAddress, List<Cidr> trustedProxies, Refusals refusals) {
        this.open = new OpenPerAddress(perAddress);
        this.exempt = List.copyOf(trustedProxies);
        this.refusals = refusals;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) return;
        InetAddress peer = remote.getAddress();
        for (Cidr c : exempt) if (c.contains(peer)) return;
        String key = ClientAddress.limitKey(peer.getHostAddress());
        if (open.tryOpen(key)) {
            admitted.put(connection, key);
        } else {
            overCap.add(socketKey(remote));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String key = admitted.remove(connection);
        if (key != null) {
            open.closed(key);
        } else if (connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote) {
            overCap.remove(socketKey(remote));
        }
    }

    /** Refuses every request that arrives on a connection past its address's cap. */
    public void install(JavalinConfig cfg) {
        cfg.routes.before(ctx -> {
            if (overCap.isEmpty()) return;
            if (overCap.contains(ClientAddress.peerSocket(ctx))) {
                refusals.count(RefusalReason.CONNECTIONS_PER_IP);
                throw ApiException.tooManyRequests("Your network already has " + open.cap()
                        + " connections open to this server; close some (or reuse them) and try again.", RETRY_AFTER_SECONDS)
                        .header("Connection", "close");
            }
        });
    }

    /** Connections counted against {@code address} now. */
    public int openFrom(String address) {
        return open.openFrom(ClientAddress.limitKey(address));
    }

    private static String socketKey(SocketAddress address) {
        InetSocketAddress a = (InetSocketAddress) address;
        return a.getAddress().getHostAddress() + "|" + a.getPort();
    }
}
