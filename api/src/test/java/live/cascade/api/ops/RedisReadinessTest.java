package live.cascade.api.ops;

import live.cascade.api.OwnRedis;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The redis component of /readyz against a redis-server of the test's own, which it starts and stops. */
@Tag("integration")
class RedisReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void redisGoingAwayDegradesTheNodeWithoutTakingItOutOfRotation() {
        try (OwnRedis redis = new OwnRedis()) {
            redis.start();
            try (TestNode node = new TestNode("--redis-url", redis.url())) {
                Response up = await(node, "ok");
                assertThat(up.json().at("/redis/status").asText()).isEqualTo("ok");
                assertThat(up.json().at("/redis/address").asText()).contains(Integer.toString(redis.port));

                redis.stop();
                Response degraded = await(node, "degraded");
                assertThat(degraded.status()).isEqualTo(200);
                assertThat(degraded.json().at("/redis/status").asText()).isEqualTo("down");
                assertThat(degraded.json().at("/redis/reason").asText()).contains("does not answer");
                assertThat(degraded.json().at("/database/status").asText()).isEqualTo("ok");
            }
        }
    }

    private static Response await(TestNode node, String status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Response last;
        do {
            last = node.get("/readyz", null);
            if (last.status() == 200 && last.json().at("/status").asText().equals(status)) return last;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("readiness never became " + status + "; last: " + last.body());
    }
}
