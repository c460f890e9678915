package live.cascade.api.redis;

import live.cascade.api.SharedServices;
import live.cascade.api.cluster.ChannelPlacement.Claim;
import live.cascade.api.cluster.ChannelPlacement.Holder;
import live.cascade.api.cluster.ChannelPlacement.Refresh;
import live.cascade.api.cluster.DbFencingCounter;
import live.cascade.api.cluster.HolderLiveness;
import live.cascade.api.cluster.LocalNodeRegistry;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeLoad;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.Role;
import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeover in the Redis form: claims in the shared Redis (a namespace of the test's own) with tokens from the real
 * PostgreSQL, and the "gone" decision made by a registry on a clock the test moves. The claims get a TTL of a minute, so
 * every takeover here happens while the old claim still stands in Redis: it is the registry's rule, never the claim's
 * own lapse, that hands the channel over.
 */
@Tag("integration")
class RedisPlacementTakeoverTest {
    private static final Duration LONG_TTL = Duration.ofMinutes(1);

    private static NodeInfo node(String id) {
        return new NodeInfo(id, "http://127.0.0.1:1", "", NodeLoad.IDLE, false);
    }

    private static long granted(Claim claim) {
        assertThat(claim).isInstanceOf(Claim.Granted.class);
        return ((Claim.Granted) claim).token();
    }

    @Test
    void aClaimWhoseHolderLeftTheRegistryIsTakenOverWithANewerTokenAndASlowHolderKeepsIt() {
        SharedServices.requirePostgres();
        SharedServices.requireRedis();
        String ns = "takeover-" + UUID.randomUUID();
        try (SharedServices.PgSchema schema = SharedServices.PgSchema.create();
             Database db = Database.open(new DatabaseConfig(schema.jdbcUrl(), SharedServices.PG_USER, SharedServices.PG_PASSWORD, 4));
             RedisConnection ra = RedisRateLimiterTest.connect(SharedServices.REDIS_URL, ns);
             RedisConnection rb = RedisRateLimiterTest.connect(SharedServices.REDIS_URL, ns)) {
            assertThat(ra.isUp() && rb.isUp()).as("the shared Redis answers").isTrue();
            long owner = db.users().create("takeover", "takeover@example.org", "hash", Role.USER).id();
            long channel = db.channels().create(owner, "takeover", "Takeover", "Music", List.of(), "k", "e").id();
            ManualClock clock = new ManualClock();
            LocalNodeRegistry registry = new LocalNodeRegistry(clock);
            HolderLiveness liveness = HolderLiveness.registryOnly(registry);
            RedisChannelPlacement a = new RedisChannelPlacement(ra, new DbFencingCounter(db), LONG_TTL, liveness);
            RedisChannelPlacement b = new RedisChannelPlacement(rb, new DbFencingCounter(db), LONG_TTL, liveness);
            registry.announce(node("a"));
            registry.announce(node("b"));
            long old = granted(a.claim(channel, "a"));

            // a slow: it misses two heartbeats but is heard from before GONE_AFTER, so it keeps the channel.
            for (int round = 0; round < 3; round++) {
                clock.advance(NodeRegistry.GONE_AFTER.minusMillis(100));
                registry.announce(node("b"));
                assertThat(b.claim(channel, "b")).as("round %d", round).isEqualTo(new Claim.HeldElsewhere(new Holder("a", old)));
                registry.announce(node("a"));
                assertThat(a.refresh(channel, "a", old)).isEqualTo(new Refresh.Kept());
            }

            // a dies: GONE_AFTER after its last heartbeat it leaves the registry, while its claim has most of a minute.
            clock.advance(NodeRegistry.GONE_AFTER);
            registry.announce(node("b"));
            assertThat(registry.node("a")).isEmpty();
            assertThat(b.holder(channel)).as("a's claim still in Redis").contains(new Holder("a", old));
            long newer = granted(b.claim(channel, "b"));
            assertThat(newer).isGreaterThan(old);
            Holder bHolds = new Holder("b", newer);
            assertThat(a.holder(channel)).contains(bHolds);

            // a back in the registry (it was only cut off): fenced, and it cannot take the channel back from a live b.
            registry.announce(node("a"));
            assertThat(a.refresh(channel, "a", old)).isEqualTo(new Refresh.Fenced(bHolds));
            assertThat(a.claim(channel, "a")).isEqualTo(new Claim.HeldElsewhere(bHolds));
            a.release(channel, "a", old);
            assertThat(b.refresh(channel, "b", newer)).isEqualTo(new Refresh.Kept());

            // Redis loses the claim (a restart: CI's Redis keeps nothing on disk): the old token still cannot come
            // back, and a new claim's token, from the database, is newer than every one before.
            assertThat(ra.client().getKeys().deleteByPattern(ra.key("placement:*"))).isPositive();
            assertThat(a.refresh(channel, "a", old)).isEqualTo(new Refresh.Lapsed());
            long third = granted(a.claim(channel, "a"));
            assertThat(third).isGreaterThan(newer);
            assertThat(b.refresh(channel, "b", newer)).isEqualTo(new Refresh.Fenced(new Holder("a", third)));
            a.release(channel, "a", third);
            assertThat(a.holder(channel)).isEmpty();
        }
    }
}
