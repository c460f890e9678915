package live.cascade.api.qoe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.api.ice.RelayClaim;
import live.cascade.api.qoe.QoeMetrics.Refusal;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code POST /api/qoe} takes a player's beacon ({@code navigator.sendBeacon}, so {@code text/plain} JSON as well as
 * {@code application/json}; no session needed, the embed on another site sends them too): at most
 * {@value #MAX_BYTES} bytes, at most the configured number per client address per minute, checked field by field;
 * 204 when taken, a problem document otherwise (the player never reads it, an operator's curl does).
 * {@code GET /api/analytics/channels/{channel}/qoe?minutes=15} is the creator's view of it.
 */
public final class QoeResource {
    static final int MAX_BYTES = 4096;
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    /** Slug to channel id: beacons of one channel arrive every few seconds from every viewer; the id never changes. */
    private final Map<String, Long> channelIds = new ConcurrentHashMap<>();

    private final Database db;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final int perMinute;
    private final QoeMetrics metrics;
    private final QoeAggregates aggregates;
    private final Consumer<RelayClaim> relayReports;
    private final ChannelLookup lookup;

    /**
     * @param relayReports told, for a relayed WebRTC play that names its WHEP session, the relay candidate's address
     *                     and the transport (udp, tcp, tls) the browser reaches the relay by
     */
    public QoeResource(Database db, Authenticator auth, RateLimiter limiter, int perMinute, io.micrometer.core.instrument.MeterRegistry registry,
                       QoeAggregates aggregates, Consumer<RelayClaim> relayReports) {
        this.db = db;
        this.auth = auth;
        this.limiter = limiter;
        this.perMinute = perMinute;
        this.metrics = new QoeMetrics(registry);
        this.aggregates = aggregates;
        this.relayReports = relayReports;
        this.lookup = new ChannelLookup(db);
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/qoe", this::beacon);
        cfg.routes.get("/api/analytics/channels/{channel}/qoe", this::channel);
    }

    private void beacon(Context ctx) {
        if (perMinute == 0) throw ApiException.notFound("QoE collection is off on this node (--qoe-beacons-per-ip 0).");
        if (ctx.req().getContentLengthLong() > MAX_BYTES) throw tooLarge(ctx.req().getContentLengthLong());
        RateLimiter.Decision d = limiter.acquire("qoe:" + ClientAddress.limitKey(ClientAddress.of(ctx)), perMinute, RATE_WINDOW);
        if (!d.allowed()) {
            metrics.refused(Refusal.RATE_LIMITED);
            throw ApiException.tooManyRequests("This address sent more than " + perMinute + " QoE beacons this minute; "
                    + "a player sends one every 30 seconds.", d.retryAfter().toSeconds());
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BYTES) throw tooLarge(body.length);
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.startsWith("text/plain")) {
            metrics.refused(Refusal.INVALID);
            throw new ApiException(415, "Unsupported Media Type",
                    "Send the beacon as a JSON object with Content-Type application/json or text/plain (what sendBeacon sends for a string).");
        }
        QoeBeacon beacon = parse(body);
        Validator v = new Validator();
        Optional<QoeReport> checked = beacon.check(v);
        if (checked.isEmpty()) {
            metrics.refused(Refusal.INVALID);
            v.throwIfInvalid();
        }
        QoeReport r = checked.orElseThrow();
        Long id = channelIds.get(r.channel());
        if (id == null) {
            Optional<Channel> c = db.channels().findBySlug(r.channel());
            if (c.isEmpty()) {
                metrics.refused(Refusal.UNKNOWN_CHANNEL);
                throw ApiException.notFound("There is no channel '" + r.channel() + "' to report on.");
            }
            id = c.get().id();
            if (channelIds.size() > 10_000) channelIds.clear();
            channelIds.put(r.channel(), id);
        }
        QoeReport report = new QoeReport(id, r.channel(), r.protocol(), r.path(), r.startupMs(), r.watchMs(), r.rebuffers(),
                r.rebufferMs(), r.framesDecoded(), r.framesDropped(), r.bitrateKbps(), r.layerSwitches(), r.errors(), r.relay());
        metrics.record(report);
        aggregates.add(report);
        // Only a report bound to its session is believed: one by address alone could label a later session that the
        // relay gave the same address.
        report.relay().ifPresent(relay -> relay.session().ifPresent(
                session -> relayReports.accept(new RelayClaim(session, relay.address(), relay.protocol()))));
        ctx.status(204);
    }

    private ApiException tooLarge(long bytes) {
        metrics.refused(Refusal.TOO_LARGE);
        return new ApiException(413, "Content Too Large", "A QoE beacon is at most " + MAX_BYTES + " bytes; this one has " + bytes + ".");
    }

    private QoeBeacon parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            if (text.isBlank()) throw ApiException.badRequest("The beacon is empty; send a JSON object.");
            QoeBeacon b = Json.MAPPER.readValue(text, QoeBeacon.class);
            if (b == null) throw ApiException.badRequest("The beacon is null; send a JSON object.");
            return b;
        } catch (MismatchedInputException e) {
            metrics.refused(Refusal.INVALID);
            String field = e.getPath().stream().map(p -> p.getFieldName() == null ? "[" + p.getIndex() + "]" : p.getFieldName())
                    .reduce((a, b) -> a + "." + b).orElse("");
            throw field.isEmpty() ? ApiException.badRequest("The beacon must be a JSON object.") : ApiException.invalidField(field, "has the wrong type");
        } catch (JsonProcessingException e) {
            metrics.refused(Refusal.INVALID);
            throw ApiException.badRequest("The beacon is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private void channel(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        int minutes;
        try {
            minutes = Integer.parseInt(Optional.ofNullable(ctx.queryParam("minutes")).orElse("15"));
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1 || minutes > ChannelQoe.WINDOW.toMinutes()) {
            throw ApiException.invalidField("minutes", "must be 1-" + ChannelQoe.WINDOW.toMinutes() + " (the window this node keeps)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", c.slug());
        body.put("minutes", minutes);
        body.put("qoe", aggregates.snapshot(c.id(), Duration.ofMinutes(minutes)).orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }
}
