package live.cascade.api.http;

import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.http.Context;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides a request's client address, used by every per-IP decision (login throttle, audit,
 * sessions, viewer counting). {@code X-Forwarded-For} and {@code Forwarded} are believed only as far as they were
 * written by {@code --trusted-proxies}: the chain is walked from the right (the hop nearest to us) and the first
 * address that is not a trusted proxy is the client. Anyone can put anything at the left end of those headers, so
 * with no trusted proxy (the default) they are ignored and the socket's peer is the client.
 */
public final class ClientAddress {
    private static final String ATTR = "cascade.client-address";
    private static final Key<ClientAddress> KEY = new Key<>("cascade.client-address-resolver");
    /** Hops examined at most; a longer chain is cut at its left (client-written) end. */
    static final int MAX_HOPS = 32;

    private final List<Cidr> trusted;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trusted = List.copyOf(trustedProxies);
    }

    /** Makes this node's proxy settings what {@link #of} uses for every request and WebSocket upgrade of {@code cfg}. */
    public void install(JavalinConfig cfg) {
        cfg.appData(KEY, this);
    }

    /**
     * The client address of the request, worked out once per request from the socket's peer and, as far as
     * {@code --trusted-proxies} allows, the forwarding headers; the peer alone where {@link #install} did not run.
     */
    public static String of(Context ctx) {
        String cached = ctx.attribute(ATTR);
        if (cached != null) return cached;
        ClientAddress resolver;
        try {
            resolver = ctx.appData(KEY);
        } catch (RuntimeException notInstalled) {
            resolver = null;
        }
        String peer = ctx.req().getRemoteAddr();
        String client = resolver == null ? peer : resolver.resolve(peer, lines(ctx, "Forwarded"), lines(ctx, "X-Forwarded-For"));
        ctx.attribute(ATTR, client);
        return client;
    }

    /**
     * Whether the client reached this node over HTTPS: this connection is TLS, or the socket's peer is a trusted proxy
     * ({@code --trusted-proxies}) whose own hop says its client came over https (the nearest {@code Forwarded}
     * {@code proto=}, else the nearest {@code X-Forwarded-Proto}). Cookies set for such a client carry {@code Secure},
     * so a node behind a TLS-terminating proxy never sends its session cookie in a form a plain-HTTP page could get.
     */
    public static boolean viaHttps(Context ctx) {
        if (ctx.req().isSecure()) return true;
        ClientAddress resolver;
        try {
            resolver = ctx.appData(KEY);
        } catch (RuntimeException notInstalled) {
            return false;
        }
        return resolver.proxiedHttps(ctx.req().getRemoteAddr(), lines(ctx, "Forwarded"), lines(ctx, "X-Forwarded-Proto"));
    }

    /** What {@link #viaHttps} decides for a plain connection from {@code peer} with these header lines. */
    boolean proxiedHttps(String peer, List<String> forwarded, List<String> xForwardedProto) {
        Optional<InetAddress> peerAddress = Cidr.literal(stripPort(peer));
        if (peerAddress.isEmpty() || !isTrusted(peerAddress.get())) return false;
        // Only the last element was written by the trusted proxy next to us; earlier ones came from further away.
        if (!forwarded.isEmpty()) {
            List<String> elements = split(forwarded);
            if (elements.isEmpty()) return false;
            for (String pair : elements.getLast().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("proto")) {
                    return pair.substring(eq + 1).strip().replace("\"", "").equalsIgnoreCase("https");
                }
            }
            return false;
        }
        List<String> protos = split(xForwardedProto);
        return !protos.isEmpty() && protos.getLast().equalsIgnoreCase("https");
    }

    private static List<String> lines(Context ctx, String header) {
        Enumeration<String> values = ctx.req().getHeaders(header);
        return values == null ? List.of() : Collections.list(values);
    }

    /**
     * The client among {@code peer} (the socket's remote address) and the forwarding headers' values (each header
     * line in order). {@code Forwarded} wins over {@code X-Forwarded-For} when a request has both.
     */
    String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        Optional<InetAddress> peerAddress = Cidr.literal(stripPort(peer));
        if (peerAddress.isEmpty()) return peer;
        if (!isTrusted(peerAddress.get())) return peerAddress.get().getHostAddress();
        List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : split(xForwardedFor);
        String client = peerAddress.get().getHostAddress();
        int stop = Math.max(0, hops.size() - MAX_HOPS);
        for (int i = hops.size() - 1; i >= stop; i--) {
            Optional<InetAddress> hop = Cidr.literal(stripPort(hops.get(i)));
            // A trusted proxy wrote this hop; if it is not an address ("unknown", "_hidden"), the nearest known
            // address is that proxy's peer, which is as far as we can see.
            if (hop.isEmpty()) return client;
            client = hop.get().getHostAddress();
            if (!isTrusted(hop.get())) return client;
        }
        return client;
    }

    private boolean isTrusted(InetAddress a) {
        for (Cidr c : trusted) if (c.contains(a)) return true;
        return false;
    }

    private static List<String> split(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) for (String part : line.split(",")) if (!part.isBlank()) out.add(part.strip());
        return out;
    }

    /** The {@code for=} of each element of RFC 7239 {@code Forwarded} lines, in order; an element without one is "". */
    private static List<String> forwardedFor(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String element : split(lines)) {
            String value = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                    value = pair.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
                }
            }
            out.add(value);
        }
        return out;
    }

    /** {@code 192.0.2.1:4711} → {@code 192.0.2.1}, {@code [2001:db8::1]:4711} → {@code 2001:db8::1}; a bare IPv6 stays. */
    static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) return hop.substring(0, colon);
        return hop;
    }

    /**
     * The key a per-address limit counts under: the address itself for IPv4, its /64 for IPv6, since one subscriber
     * usually holds a whole /64 and could otherwise take a fresh address for every try.
     */
    /**
     * The TCP connection's own peer as {@code address|port}, for what is counted per connection (never for who the
     * client is: that is {@link #of}).
     */
    public static String peerSocket(Context ctx) {
        return ctx.req().getRemoteAddr() + "|" + ctx.req().getRemotePort();
    }

    public static String limitKey(String address) {
        Optional<InetAddress> a = Cidr.literal(address);
        if (a.isPresent() && a.get() instanceof Inet6Address) return Cidr.parse(a.get().getHostAddress() + "/64").toString();
        return address;
    }
}
