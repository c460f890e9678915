package live.cascade.api.ice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Cidr;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.api.ratelimit.RateLimiter;

/**
 * {@code POST /api/ice-servers/relay}: a client whose selected ICE pair runs through the TURN relay says which session
 * that is (its WHIP/WHEP resource id), the relay candidate's address and port, and the transport it reaches the relay
 * by, so the node can count the session as {@code turn-udp}, {@code turn-tcp} or {@code turn-tls} (see
 * {@link SessionPaths} for why only the client knows). The studio's WHIP publisher sends it once its pair is relayed;
 * the web player says the same in its QoE beacon.
 *
 * <p>Like the QoE beacon it authenticates nobody and changes nothing but a label of a metric: it is believed only for
 * the named session, whose 128-bit random id the caller must know, and only while that session's media comes from the
 * reported address of the configured TURN server. So it needs no login (a publisher may be on another node than the
 * page's session after a redirect) and is exempt from the cookie CSRF check ({@code OriginGuard}). Bodies are at most
 * {@value #MAX_BYTES} bytes, JSON as {@code application/json} or {@code text/plain} (no CORS preflight from another
 * origin), and one client address may send {@value #PER_MINUTE} a minute.
 */
public final class RelayReportResource {
    static final int MAX_BYTES = 1024;
    /** A publisher reports once per session and a retry or two: 20 a minute is many sessions' worth. */
    static final int PER_MINUTE = 20;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Set<String> TRANSPORTS = Set.of("udp", "tcp", "tls");

    private final RateLimiter limiter;
    private final SessionPaths paths;
    private final Map<SessionPaths.Outcome, Counter> outcomes = new EnumMap<>(SessionPaths.Outcome.class);
    private final Counter refused;
    private final Counter limited;

    public RelayReportResource(RateLimiter limiter, SessionPaths paths, MeterRegistry registry) {
        this.limiter = limiter;
        this.paths = paths;
        for (SessionPaths.Outcome o : SessionPaths.Outcome.values()) outcomes.put(o, counter(registry, label(o)));
        this.refused = counter(registry, "invalid");
        this.limited = counter(registry, "rate-limited");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("cascade_ice_relay_reports")
                .description("Clients' reports of their relayed session's transport to the TURN server, by what became of them")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static String label(SessionPaths.Outcome o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/ice-servers/relay", this::report);
    }

    /** The body as the client sends it; unknown fields are ignored (a newer client talking to an older node). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(String session, String address, Integer port, String protocol) {
    }

    private void report(Context ctx) {
        // A publisher redirected to another node reports there, from this page's origin: it may read the answer.
        ctx.header("Access-Control-Allow-Origin", "*");
        if (!paths.relaying()) {
            refused.increment();
            throw ApiException.notFound("This node names no TURN server (--turn-urls), so none of its sessions is relayed and there is nothing to report.");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) throw tooLarge(declared);
        RateLimiter.Decision d = limiter.acquire("relay:" + ClientAddress.limitKey(ClientAddress.of(ctx)), PER_MINUTE, WINDOW);
        if (!d.allowed()) {
            limited.increment();
            throw ApiException.tooManyRequests("This address sent more than " + PER_MINUTE + " relay reports this minute; "
                    + "a client sends one per session.", d.retryAfter().toSeconds());
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BYTES) throw tooLarge(bytes.length);
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.startsWith("text/plain")) {
            refused.increment();
            throw new ApiException(415, "Unsupported Media Type",
                    "Send the report as a JSON object with Content-Type application/json or text/plain.");
        }
        RelayClaim claim = check(parse(bytes));
        SessionPaths.Outcome outcome = paths.reportRelay(claim);
        outcomes.get(outcome).increment();
        String where = claim.relayed().getAddress().getHostAddress() + ":" + claim.relayed().getPort();
        switch (outcome) {
            case APPLIED -> ctx.status(204);
            case PENDING -> {
                ctx.status(202);
                ctx.json(Map.of("detail", "No selected path of session " + claim.session() + " on this node yet: the report is kept for "
                        + SessionPaths.REPORT_GRACE_NANOS / 1_000_000_000L + " s and counts once the session's media comes from " + where + "."));
            }
            case OTHER_ADDRESS -> throw ApiException.conflict("address", "Session " + claim.session() + "'s media does not come from "
                    + where + " (another address, or ICE-TCP): report the local relay candidate of the pair getStats() names as selected.");
            case NOT_THE_RELAY -> throw ApiException.invalidField("address", "is not an address of this node's TURN server: report the relay "
                    + "candidate's address (candidateType 'relay'), not the browser's own.");
            case FULL -> throw new ApiException(503, "Service Unavailable", "Too many relay reports wait for sessions this node has not seen yet; try again in a minute.")
                    .header("Retry-After", "60");
        }
    }

    private ApiException tooLarge(long bytes) {
        refused.increment();
        return new ApiException(413, "Content Too Large", "A relay report is at most " + MAX_BYTES + " bytes; this one has " + bytes + ".");
    }

    private Body parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            Body b = text.isBlank() ? null : Json.MAPPER.readValue(text, Body.class);
            if (b == null) throw ApiException.badRequest("The report is empty; send a JSON object {session, address, port, protocol}.");
            return b;
        } catch (MismatchedInputException e) {
            refused.increment();
            String field = e.getPath().stream().map(p -> p.getFieldName() == null ? "[" + p.getIndex() + "]" : p.getFieldName())
                    .reduce((a, b) -> a + "." + b).orElse("");
            throw field.isEmpty() ? ApiException.badRequest("The report must be a JSON object {session, address, port, protocol}.")
                    : ApiException.invalidField(field, "has the wrong type");
        } catch (JsonProcessingException e) {
            refused.increment();
            throw ApiException.badRequest("The report is not valid JSON: " + e.getOriginalMessage());
        } catch (ApiException e) {
            refused.increment();
            throw e;
        }
    }

    private RelayClaim check(Body b) {
        Validator v = new Validator();
        v.check(b.session() != null && RelayClaim.SESSION_ID.matcher(b.session()).matches(), "session",
                "is required: the WHIP/WHEP session's id, the last segment of the Location the node answered the offer with");
        Optional<InetAddress> address = Cidr.literal(b.address());
        v.check(address.isPresent(), "address", "must be the relay candidate's IP address (a literal, never a name)");
        boolean port = b.port() != null && b.port() > 0 && b.port() <= 65535;
        v.check(port, "port", "must be the relay candidate's port 1-65535");
        v.check(b.protocol() != null && TRANSPORTS.contains(b.protocol()), "protocol",
                "must be udp, tcp or tls: the relay candidate's relayProtocol (how the client reaches the TURN server)");
        if (v.hasErrors()) {
            refused.increment();
            v.throwIfInvalid();
        }
        return new RelayClaim(b.session(), new InetSocketAddress(address.orElseThrow(), b.port()), b.protocol());
    }
}
