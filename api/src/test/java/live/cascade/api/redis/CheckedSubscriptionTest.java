package live.cascade.api.redis;

import live.cascade.api.SharedServices;
import live.cascade.api.ops.Readiness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A topic subscription on the shared Redis that proves it delivers, and renews itself when it does not. */
@Tag("integration")
class CheckedSubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSubscriptionThatWentSilentIsFoundRenewedAndReportedAsAGap() throws Exception {
        SharedServices.requireRedis();
        String ns = "test-" + UUID.randomUUID();
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> gaps = new CopyOnWriteArrayList<>();
        try (RedisConnection mine = RedisConnection.open(SharedServices.REDIS_URL, ns, "checked-a");
             RedisConnection other = RedisConnection.open(SharedServices.REDIS_URL, ns, "checked-b");
             CheckedSubscription sub = mine.subscription("t", "node-a", "test topic",
                     CheckedSubscription.Receiver.of(received::add, gaps::add), Duration.ofMillis(300), Duration.ofMillis(500))) {
            await(mine::isUp);
            assertThat(mine.check()).as("not proven before it started").isInstanceOf(Readiness.Degraded.class)
                    .extracting(Readiness::reason).asString().contains("test topic");
            sub.start();
            await(sub::confirmed);
            await(() -> mine.check() instanceof Readiness.Ok);
            var publisher = other.client().getTopic(other.key("t"), org.redisson.client.codec.StringCodec.INSTANCE);
            publisher.publish("{\"n\":1}");
            await(() -> received.contains("{\"n\":1}"));

            // The subscription goes silent behind its back while Redis answers: Redisson drops the listener.
            mine.client().getTopic(mine.key("t"), org.redisson.client.codec.StringCodec.INSTANCE).removeAllListeners();
            publisher.publish("{\"n\":2}");
            // Its next test message does not come back: renewed (unproven, so degraded, for the few ms that takes).
            await(() -> sub.renewals() >= 1);
            await(() -> !gaps.isEmpty());
            assertThat(sub.confirmed()).isTrue();
            assertThat(gaps).as("one gap, reported once it delivers again").hasSize(1);
            assertThat(gaps.getFirst()).contains("silent");
            publisher.publish("{\"n\":3}");
            await(() -> received.contains("{\"n\":3}"));
            assertThat(received).as("what was published while it was silent is lost (the gap says so); no test message "
                    + "is handed on").containsExactly("{\"n\":1}", "{\"n\":3}");
            assertThat(mine.check()).isInstanceOf(Readiness.Ok.class);
        }
    }

    @Test
    void anotherNodesTestMessagesAreNeitherDeliveredNorTakenAsOurs() throws Exception {
        SharedServices.requireRedis();
        String ns = "test-" + UUID.randomUUID();
        List<String> onA = new CopyOnWriteArrayList<>();
        try (RedisConnection ra = RedisConnection.open(SharedServices.REDIS_URL, ns, "checked-a");
             RedisConnection rb = RedisConnection.open(SharedServices.REDIS_URL, ns, "checked-b");
             CheckedSubscription a = ra.subscription("t", "node-a", "a", receiver(onA), Duration.ofMillis(200), Duration.ofSeconds(2));
             CheckedSubscription b = rb.subscription("t", "node-b", "b", receiver(new CopyOnWriteArrayList<>()),
                     Duration.ofMillis(200), Duration.ofSeconds(2))) {
            a.start();
            b.start();
            await(a::confirmed);
            await(b::confirmed);
            Thread.sleep(1000); // about five rounds of test messages from each
            b.publishAsync("{\"from\":\"b\"}").toCompletableFuture().get();
            await(() -> onA.contains("{\"from\":\"b\"}"));
            assertThat(onA).containsExactly("{\"from\":\"b\"}");
            assertThat(a.renewals()).isZero();
            assertThat(b.renewals()).isZero();
        }
    }

    private static CheckedSubscription.Receiver receiver(List<String> into) {
        return CheckedSubscription.Receiver.of(into::add, why -> into.add("gap: " + why));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(20);
        }
    }
}
