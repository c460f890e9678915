package live.cascade.api.redis;

import live.cascade.api.OwnRedis;
import live.cascade.api.SharedServices;
import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.ChannelPlacement.Claim;
import live.cascade.api.cluster.ChannelPlacement.Holder;
import live.cascade.api.cluster.ChannelPlacement.Refresh;
import live.cascade.api.cluster.DbFencingCounter;
import live.cascade.api.cluster.NodeInfo;
import live.cascade.api.cluster.NodeLoad;
import live.cascade.api.cluster.NodeRegistry;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Placement and the registry in a Redis of the test's own, with fencing tokens from the real PostgreSQL: two
 * "nodes" (two connections), and a Redis restart in the middle. CI's Redis keeps nothing on disk, so after the
 * restart every claim is gone; the tokens must still only grow, so the old holder stays fenced.
 */
@Tag("integration")
class RedisPlacementFencingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void fencingSurvivesARedisRestartAndTheRegistryForgetsSilentNodes() throws Exception {
        SharedServices.requirePostgres();
        try (OwnRedis own = new OwnRedis(); SharedServices.PgSchema schema = SharedServices.PgSchema.create();
             Database db = Database.open(new DatabaseConfig(schema.jdbcUrl(), SharedServices.PG_USER, SharedServices.PG_PASSWORD, 4))) {
            own.start();
            long owner = db.users().create("fence", "fence@example.org", "hash", Role.USER).id();
            long channel = db.channels().create(owner, "fenced", "Fenced", "Music", List.of(), "k", "e").id();
            String ns = "test-" + UUID.randomUUID();
            try (RedisConnection ra = RedisConnection.open(own.url(), ns, "place-a");
                 RedisConnection rb = RedisConnection.open(own.url(), ns, "place-b")) {
                await(ra::isUp);
                await(rb::isUp);
                RedisChannelPlacement a = new RedisChannelPlacement(ra, new DbFencingCounter(db), ChannelPlacement.TTL);
                RedisChannelPlacement b = new RedisChannelPlacement(rb, new DbFencingCounter(db), ChannelPlacement.TTL);
                RedisNodeRegistry registryA = new RedisNodeRegistry(ra);
                RedisNodeRegistry registryB = new RedisNodeRegistry(rb);

                long first = ((Claim.Granted) a.claim(channel, "node-a")).token();
                assertThat(b.claim(channel, "node-b")).isEqualTo(new Claim.HeldElsewhere(new Holder("node-a", first)));
                assertThat(a.refresh(channel, "node-a", first)).isEqualTo(new Refresh.Kept());
                registryA.announce(info("node-a"));
                registryB.announce(info("node-b"));
                assertThat(registryB.alive()).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-a", "node-b");

                own.stop();
                await(() -> !ra.isUp() && !rb.isUp());
                // Redis away: nothing is decided, so nothing is ended for it; the registry answers with this node.
                assertThat(a.refresh(channel, "node-a", first)).isInstanceOf(Refresh.Unavailable.class);
                assertThat(registryA.alive()).extracting(NodeInfo::id).containsExactly("node-a");

                own.start(); // empty: the claim and the registry are gone
                await(() -> ra.isUp() && rb.isUp());
                // b gets there first after the restart; its token comes from the database, so it beats a's.
                Claim second = b.claim(channel, "node-b");
                assertThat(second).isInstanceOf(Claim.Granted.class);
                long newer = ((Claim.Granted) second).token();
                assertThat(newer).isGreaterThan(first);
                Holder bHolds = new Holder("node-b", newer);
                assertThat(a.refresh(channel, "node-a", first)).isEqualTo(new Refresh.Fenced(bHolds));
                assertThat(a.claim(channel, "node-a")).isEqualTo(new Claim.HeldElsewhere(bHolds));
                a.release(channel, "node-a", first);
                assertThat(b.holder(channel)).contains(bHolds);

                // The registry: only announced nodes, and a silent one is gone after GONE_AFTER (Redis expires it).
                registryA.announce(info("node-a"));
                assertThat(registryB.alive()).extracting(NodeInfo::id).containsExactly("node-a");
                long t0 = System.nanoTime();
                await(() -> registryB.alive().stream().noneMatch(n -> n.id().equals("node-a")));
                long goneMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("[cluster] a silent node left the registry after " + goneMs + " ms");
                assertThat(goneMs).isLessThan(NodeRegistry.GONE_AFTER.toMillis() + 3000);
            }
        }
    }

    private static NodeInfo info(String id) {
        return new NodeInfo(id, "http://127.0.0.1:1/" + id, "", NodeLoad.IDLE, false);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(50);
        }
    }
}
