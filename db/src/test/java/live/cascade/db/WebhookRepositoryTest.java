package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WebhookRepositoryTest extends RepositoryTestBase {

    @Test
    void channelAndNodeWideWebhooksHearTheirEventsAndDeliveriesWalkThroughTheirStates() {
        User owner = anyUser();
        Channel c = channel(owner, "hooks-a");
        Channel other = channel(owner, "hooks-b");
        Webhook onChannel = db.webhooks().create(owner.id(), Optional.of(c.id()), "https://example.org/a", "s1", List.of("stream.started"));
        Webhook nodeWide = db.webhooks().create(owner.id(), Optional.empty(), "https://example.org/b", "s2", List.of("stream.started", "stream.ended"));

        assertThat(db.webhooks().subscribedTo(c.id(), "stream.started")).extracting(Webhook::id).containsExactlyInAnyOrder(onChannel.id(), nodeWide.id());
        assertThat(db.webhooks().subscribedTo(other.id(), "stream.started")).extracting(Webhook::id).containsExactly(nodeWide.id());
        assertThat(db.webhooks().subscribedTo(c.id(), "stream.ended")).extracting(Webhook::id).containsExactly(nodeWide.id());

        WebhookDelivery d = db.webhooks().enqueue(onChannel.id(), "stream.started", "{\"type\":\"stream.started\"}");
        Instant now = now();
        assertThat(db.webhooks().due(now.plusSeconds(1), 10)).extracting(WebhookDelivery::id).containsExactly(d.id());
        db.webhooks().attempted(d.id(), "pending", 1, now.plusSeconds(60), 500, "HTTP 500");
        assertThat(db.webhooks().due(now.plusSeconds(1), 10)).isEmpty();
        assertThat(db.webhooks().due(now.plusSeconds(61), 10)).hasSize(1);
        db.webhooks().attempted(d.id(), "delivered", 2, now.plusSeconds(61), 200, null);
        WebhookDelivery done = db.webhooks().deliveries(onChannel.id(), 10).getFirst();
        assertThat(done.status()).isEqualTo("delivered");
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastStatus()).contains(200);
        assertThat(done.deliveredAt()).isPresent();
        assertThat(db.webhooks().due(now.plusSeconds(3600), 10)).isEmpty();

        assertThat(db.webhooks().delete(owner.id() + 1000, onChannel.id())).isFalse();
        assertThat(db.webhooks().delete(owner.id(), onChannel.id())).isTrue();
        assertThat(db.webhooks().deliveries(onChannel.id(), 10)).isEmpty();
    }
}
