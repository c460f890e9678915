package live.cascade.api.redis;

import live.cascade.api.SharedServices;
import live.cascade.api.ratelimit.LocalRateLimiter;
import live.cascade.api.ratelimit.RateLimiter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the shared Redis, in a namespace of its own. */
@Tag("integration")
class RedisRateLimiterTest {

    static RedisConnection connect(String url, String namespace) {
        RedisConnection c = RedisConnection.open(url, namespace, "test");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.isUp() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return c;
    }

    @Test
    void limitsAreSharedByNodesAndResetEverywhere() {
        SharedServices.requireRedis();
        String ns = "test-" + UUID.randomUUID();
        Duration window = Duration.ofMinutes(1);
        try (RedisConnection a = connect(SharedServices.REDIS_URL, ns); RedisConnection b = connect(SharedServices.REDIS_URL, ns)) {
            assertThat(a.isUp()).isTrue();
            RateLimiter nodeA = new RedisRateLimiter(a, new LocalRateLimiter(Clock.systemUTC()));
            RateLimiter nodeB = new RedisRateLimiter(b, new LocalRateLimiter(Clock.systemUTC()));
            assertThat(nodeA.acquire("k", 3, window).allowed()).isTrue();
            assertThat(nodeB.acquire("k", 3, window).allowed()).isTrue();
            assertThat(nodeA.peek("k", 3, window).allowed()).isTrue();
            assertThat(nodeB.acquire("k", 3, window).allowed()).isTrue();
            RateLimiter.Decision refused = nodeA.acquire("k", 3, window);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfter()).isEqualTo(window);
            assertThat(nodeB.peek("k", 3, window).allowed()).isFalse();
            assertThat(nodeB.acquire("other", 3, window).allowed()).isTrue();

            nodeB.reset("k");
            assertThat(nodeA.acquire("k", 3, window).allowed()).isTrue();
            nodeA.reset("k");
            nodeA.reset("other");
        }
    }

    @Test
    void withoutRedisTheNodeLimitsOnItsOwn() {
        int deadPort = SharedServices.freeTcpPort();
        try (RedisConnection down = RedisConnection.open("redis://127.0.0.1:" + deadPort, "test", "test")) {
            RateLimiter limiter = new RedisRateLimiter(down, new LocalRateLimiter(Clock.systemUTC()));
            long t0 = System.nanoTime();
            assertThat(limiter.acquire("k", 2, Duration.ofMinutes(1)).allowed()).isTrue();
            assertThat(limiter.acquire("k", 2, Duration.ofMinutes(1)).allowed()).isTrue();
            assertThat(limiter.acquire("k", 2, Duration.ofMinutes(1)).allowed()).isFalse();
            assertThat(limiter.peek("k", 2, Duration.ofMinutes(1)).allowed()).isFalse();
            limiter.reset("k");
            assertThat(limiter.acquire("k", 2, Duration.ofMinutes(1)).allowed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no call waits for the missing Redis").isLessThan(Duration.ofSeconds(2));
            assertThat(down.check()).isInstanceOf(live.cascade.api.ops.Readiness.Down.class);
        }
    }
}
