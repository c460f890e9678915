package live.cascade.db;

import static live.cascade.db.jooq.Tables.WEBHOOKS;
import static live.cascade.db.jooq.Tables.WEBHOOK_DELIVERIES;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import live.cascade.db.jooq.tables.records.WebhookDeliveriesRecord;
import live.cascade.db.jooq.tables.records.WebhooksRecord;
import org.jooq.DSLContext;

/** Webhook subscriptions and their durable delivery log. */
public final class WebhookRepository {
    private static final int MAX_ERROR = 300;
    private final DSLContext dsl;
    private final Clock clock;

    WebhookRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** @throws ReferenceNotFoundException field "ownerId" or "channelId" when either does not exist */
    public Webhook create(long ownerId, Optional<Long> channelId, String url, String secret, List<String> events) {
        return SqlErrors.call(() -> toWebhook(dsl.insertInto(WEBHOOKS)
                .set(WEBHOOKS.OWNER_ID, ownerId)
                .set(WEBHOOKS.CHANNEL_ID, channelId.orElse(null))
                .set(WEBHOOKS.URL, url)
                .set(WEBHOOKS.SECRET, secret)
                .set(WEBHOOKS.EVENTS, String.join(",", events))
                .set(WEBHOOKS.CREATED_AT, Times.toDb(clock.instant()))
                .returning().fetchSingle()));
    }

    public List<Webhook> listForOwner(long ownerId) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOKS).where(WEBHOOKS.OWNER_ID.eq(ownerId)).orderBy(WEBHOOKS.ID)
                .fetch(WebhookRepository::toWebhook));
    }

    public Optional<Webhook> find(long id) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).fetchOptional().map(WebhookRepository::toWebhook));
    }

    /** The webhooks of this channel and the node-wide ones that take {@code event}. */
    public List<Webhook> subscribedTo(long channelId, String event) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOKS)
                .where(WEBHOOKS.CHANNEL_ID.eq(channelId).or(WEBHOOKS.CHANNEL_ID.isNull()))
                .fetch(WebhookRepository::toWebhook).stream().filter(w -> w.events().contains(event)).toList());
    }

    /** @return false if the owner has no such webhook */
    public boolean delete(long ownerId, long id) {
        return SqlErrors.call(() -> dsl.deleteFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).and(WEBHOOKS.OWNER_ID.eq(ownerId)).execute() == 1);
    }

    public WebhookDelivery enqueue(long webhookId, String event, String payload) {
        Instant now = clock.instant();
        return SqlErrors.call(() -> toDelivery(dsl.insertInto(WEBHOOK_DELIVERIES)
                .set(WEBHOOK_DELIVERIES.WEBHOOK_ID, webhookId)
                .set(WEBHOOK_DELIVERIES.EVENT, event)
                .set(WEBHOOK_DELIVERIES.PAYLOAD, payload)
                .set(WEBHOOK_DELIVERIES.STATUS, "pending")
                .set(WEBHOOK_DELIVERIES.ATTEMPTS, 0)
                .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, Times.toDb(now))
                .set(WEBHOOK_DELIVERIES.CREATED_AT, Times.toDb(now))
                .returning().fetchSingle()));
    }

    /** Pending deliveries whose next attempt is due, oldest first. */
    public List<WebhookDelivery> due(Instant now, int limit) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOK_DELIVERIES)
                .where(WEBHOOK_DELIVERIES.STATUS.eq("pending")).and(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT.le(Times.toDb(now)))
                .orderBy(WEBHOOK_DELIVERIES.ID).limit(limit).fetch(WebhookRepository::toDelivery));
    }

    /** Records an attempt: {@code status} delivered, failed (gave up) or pending (retried at {@code next}). */
    public void attempted(long id, String status, int attempts, Instant next, Integer httpStatus, String error) {
        String cut = error == null ? null : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        SqlErrors.call(() -> dsl.update(WEBHOOK_DELIVERIES)
                .set(WEBHOOK_DELIVERIES.STATUS, status)
                .set(WEBHOOK_DELIVERIES.ATTEMPTS, attempts)
                .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, Times.toDb(next))
                .set(WEBHOOK_DELIVERIES.LAST_STATUS, httpStatus)
                .set(WEBHOOK_DELIVERIES.LAST_ERROR, cut)
                .set(WEBHOOK_DELIVERIES.DELIVERED_AT, "delivered".equals(status) ? Times.toDb(clock.instant()) : null)
                .where(WEBHOOK_DELIVERIES.ID.eq(id)).execute());
    }

    /** One delivery of one webhook. */
    public Optional<WebhookDelivery> delivery(long webhookId, long deliveryId) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOK_DELIVERIES).where(WEBHOOK_DELIVERIES.WEBHOOK_ID.eq(webhookId))
                .and(WEBHOOK_DELIVERIES.ID.eq(deliveryId)).fetchOptional(WebhookRepository::toDelivery));
    }

    /** The delivery log of one webhook, newest first. */
    public List<WebhookDelivery> deliveries(long webhookId, int limit) {
        return SqlErrors.call(() -> dsl.selectFrom(WEBHOOK_DELIVERIES).where(WEBHOOK_DELIVERIES.WEBHOOK_ID.eq(webhookId))
                .orderBy(WEBHOOK_DELIVERIES.ID.desc()).limit(limit).fetch(WebhookRepository::toDelivery));
    }

    static Webhook toWebhook(WebhooksRecord r) {
        return new Webhook(r.getId(), r.getOwnerId(), Optional.ofNullable(r.getChannelId()), r.getUrl(), r.getSecret(),
                Arrays.asList(r.getEvents().split(",")), Times.fromDb(r.getCreatedAt()));
    }

    static WebhookDelivery toDelivery(WebhookDeliveriesRecord r) {
        return new WebhookDelivery(r.getId(), r.getWebhookId(), r.getEvent(), r.getPayload(), r.getStatus(), r.getAttempts(),
                Times.fromDb(r.getNextAttemptAt()), Optional.ofNullable(r.getLastStatus()), Optional.ofNullable(r.getLastError()),
                Times.fromDb(r.getCreatedAt()), Optional.ofNullable(Times.fromDb(r.getDeliveredAt())));
    }
}
