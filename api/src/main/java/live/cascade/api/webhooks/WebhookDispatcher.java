package live.cascade.api.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import live.cascade.db.Database;
import live.cascade.db.Webhook;
import live.cascade.db.WebhookDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns events into delivery rows (one per subscribed webhook) and delivers due rows on one thread of its own: POST
 * with the JSON event, {@code Cascade-Event}, {@code Cascade-Delivery} and {@link WebhookSignature#HEADER}; any 2xx is
 * delivered, anything else is retried after 1 s, 2 s, 4 s ... (at most 10 min apart), {@value #MAX_ATTEMPTS}
 * attempts in all. Rows live in the database, so pending deliveries survive a restart. Events come from media
 * threads: {@link #publish} only hands them to this thread.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("webhooks").unstarted(r));

    public WebhookDispatcher(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        thread.scheduleWithFixedDelay(this::deliverDueSafely, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code event} of {@code channelId} for every webhook that takes it. Never blocks the caller. */
    public void publish(String event, long channelId, Map<String, Object> data) {
        Instant at = clock.instant();
        try {
            thread.execute(() -> {
                try {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("type", event);
                    body.put("createdAt", at.toString());
                    body.put("data", data);
                    String payload = JSON.writeValueAsString(body);
                    for (Webhook w : db.webhooks().subscribedTo(channelId, event)) db.webhooks().enqueue(w.id(), event, payload);
                    deliverDue();
                } catch (JsonProcessingException | RuntimeException e) {
                    LOG.warn("webhook event {} of channel {} not queued: {}", event, channelId, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("webhook event {} dropped: the node is stopping", event);
        }
    }

    private void deliverDueSafely() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            LOG.warn("webhook deliveries not attempted: {}", e.toString());
        }
    }

    private void deliverDue() {
        for (WebhookDelivery d : db.webhooks().due(clock.instant(), 20)) {
            Optional<Webhook> w = db.webhooks().find(d.webhookId());
            if (w.isEmpty()) continue;
            attempt(w.get(), d);
        }
    }

    private void attempt(Webhook w, WebhookDelivery d) {
        int attempts = d.attempts() + 1;
        Integer status = null;
        String error = null;
        try {
            long now = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(w.url())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "CascadeLive-Webhooks/1")
                    .header("Cascade-Event", d.event())
                    .header("Cascade-Delivery", Long.toString(d.id()))
                    .header(WebhookSignature.HEADER, WebhookSignature.header(w.secret(), now, d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status / 100 == 2) {
                db.webhooks().attempted(d.id(), "delivered", attempts, clock.instant(), status, null);
                return;
            }
            error = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        boolean giveUp = attempts >= MAX_ATTEMPTS;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(20, attempts - 1));
        if (wait.compareTo(MAX_RETRY) > 0) wait = MAX_RETRY;
        db.webhooks().attempted(d.id(), giveUp ? "failed" : "pending", attempts, clock.instant().plus(wait), status, error);
        if (giveUp) LOG.warn("webhook {} gave up on delivery {} ({}) after {} attempts: {}", w.id(), d.id(), d.event(), attempts, error);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
