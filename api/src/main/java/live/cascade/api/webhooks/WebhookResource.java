package live.cascade.api.webhooks;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.Webhook;
import live.cascade.db.WebhookDelivery;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/webhooks} subscribes a URL to a channel's events (its owner) or to every channel's (an
 * administrator, no channel); the answer shows the signing secret once. {@code GET /api/webhooks} lists the caller's,
 * {@code DELETE /api/webhooks/{id}} removes one, {@code GET /api/webhooks/{id}/deliveries} is its delivery log, and
 * {@code POST /api/webhooks/{id}/deliveries/{delivery}/redeliver} sends a delivery's event again as a new delivery.
 */
public final class WebhookResource {
    static final Set<String> EVENTS = Set.of("stream.started", "stream.ended", "recording.ready", "clip.ready",
            "viewer.milestone", "report.created");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database db;
    private final Authenticator auth;

    public WebhookResource(Database db, Authenticator auth) {
        this.db = db;
        this.auth = auth;
    }

    record CreateRequest(String url, List<String> events, String channel) {
    }

    record WebhookJson(long id, String url, List<String> events, String channel, Instant createdAt) {
    }

    record CreatedJson(long id, String url, List<String> events, String channel, Instant createdAt, String secret) {
    }

    record DeliveryJson(long id, String event, String status, int attempts, Integer lastStatus, String lastError,
                        Instant createdAt, Instant nextAttemptAt, Instant deliveredAt) {
        static DeliveryJson of(WebhookDelivery d) {
            return new DeliveryJson(d.id(), d.event(), d.status(), d.attempts(), d.lastStatus().orElse(null), d.lastError().orElse(null),
                    d.createdAt(), d.status().equals("pending") ? d.nextAttemptAt() : null, d.deliveredAt().orElse(null));
        }
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/webhooks", this::create);
        cfg.routes.get("/api/webhooks", this::list);
        cfg.routes.delete("/api/webhooks/{id}", this::delete);
        cfg.routes.get("/api/webhooks/{id}/deliveries", this::deliveries);
        cfg.routes.post("/api/webhooks/{id}/deliveries/{delivery}/redeliver", this::redeliver);
    }

    private void create(Context ctx) {
        Principal p = auth.require(ctx);
        CreateRequest req = Json.body(ctx, CreateRequest.class);
        Validator v = new Validator();
        if (v.check(req.url() != null && !req.url().isBlank(), "url", "is required: the https:// (or http://) address to POST events to")) {
            v.check(req.url().length() <= 2000 && validUrl(req.url()), "url", "must be an absolute http:// or https:// URL of at most 2000 characters");
        }
        List<String> events = new ArrayList<>();
        if (v.check(req.events() != null && !req.events().isEmpty(), "events", "must name at least one of " + String.join(", ", EVENTS.stream().sorted().toList()))) {
            for (String e : req.events()) {
                if (v.check(EVENTS.contains(e), "events", "'" + e + "' is not an event: use " + String.join(", ", EVENTS.stream().sorted().toList()))
                        && !events.contains(e)) events.add(e);
            }
        }
        v.throwIfInvalid();
        Optional<Long> channelId = Optional.empty();
        String slug = null;
        if (req.channel() != null && !req.channel().isBlank()) {
            Channel c = db.channels().findBySlug(req.channel()).orElseThrow(() -> ApiException.notFound("There is no channel '" + req.channel() + "'."));
            if (c.ownerId() != p.id() && !p.isAdmin()) throw ApiException.forbidden("Only the channel's owner can add webhooks to it.");
            channelId = Optional.of(c.id());
            slug = c.slug();
        } else if (!p.isAdmin()) {
            throw ApiException.forbidden("A webhook for every channel (no \"channel\") is for administrators; name your channel.");
        }
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        Webhook w = db.webhooks().create(p.id(), channelId, req.url().strip(), secret, events);
        ctx.status(201).json(new CreatedJson(w.id(), w.url(), w.events(), slug, w.createdAt(), secret));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return b;
    }

    private static boolean validUrl(String url) {
        try {
            URI u = URI.create(url.strip());
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void list(Context ctx) {
        Principal p = auth.require(ctx);
        List<WebhookJson> out = db.webhooks().listForOwner(p.id()).stream()
                .map(w -> new WebhookJson(w.id(), w.url(), w.events(),
                        w.channelId().flatMap(id -> db.channels().findById(id)).map(Channel::slug).orElse(null), w.createdAt()))
                .toList();
        ctx.json(Map.of("webhooks", out));
    }

    private Webhook owned(Context ctx, Principal p) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Webhook ids are numbers; GET /api/webhooks lists yours.");
        }
        return db.webhooks().find(id).filter(w -> w.ownerId() == p.id())
                .orElseThrow(() -> ApiException.notFound("You have no webhook " + id + " (GET /api/webhooks lists yours)."));
    }

    private void delete(Context ctx) {
        Principal p = auth.require(ctx);
        Webhook w = owned(ctx, p);
        db.webhooks().delete(p.id(), w.id());
        ctx.status(204);
    }

    /**
     * The same event and body as a new delivery (its own id and attempts; the body's {@code createdAt} is the event's,
     * so a receiver that already has it can tell), delivered within a second by the dispatcher.
     */
    private void redeliver(Context ctx) {
        Principal p = auth.require(ctx);
        Webhook w = owned(ctx, p);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("delivery"));
        } catch (NumberFormatException e) {
            id = -1;
        }
        WebhookDelivery d = db.webhooks().delivery(w.id(), id)
                .orElseThrow(() -> ApiException.notFound("Webhook " + w.id() + " has no delivery " + ctx.pathParam("delivery")
                        + " (GET /api/webhooks/" + w.id() + "/deliveries lists them)."));
        WebhookDelivery again = db.webhooks().enqueue(w.id(), d.event(), d.payload());
        ctx.status(202).json(DeliveryJson.of(again));
    }

    private void deliveries(Context ctx) {
        Principal p = auth.require(ctx);
        Webhook w = owned(ctx, p);
        ctx.json(Map.of("deliveries", db.webhooks().deliveries(w.id(), 100).stream().map(DeliveryJson::of).toList()));
    }
}
