package live.cascade.api.redis;

import live.cascade.api.SharedServices;
import live.cascade.api.cluster.NodeCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Two command channels on the shared Redis, as two nodes of one deployment (a namespace of their own). */
@Tag("integration")
class RedisNodeCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aCommandRunsOnTheSendingNodeAtOnceAndOnceOnTheOtherNode() throws Exception {
        SharedServices.requireRedis();
        String ns = "test-" + UUID.randomUUID();
        try (RedisConnection ra = RedisConnection.open(SharedServices.REDIS_URL, ns, "cmd-a");
             RedisConnection rb = RedisConnection.open(SharedServices.REDIS_URL, ns, "cmd-b");
             RedisNodeCommands a = new RedisNodeCommands(ra, "node-a");
             RedisNodeCommands b = new RedisNodeCommands(rb, "node-b")) {
            List<NodeCommand> onA = new CopyOnWriteArrayList<>();
            List<NodeCommand> onB = new CopyOnWriteArrayList<>();
            a.subscribe(onA::add);
            b.subscribe(onB::add);
            // Both subscribed: a probe command from each reaches the other.
            awaitSubscribed(a, b, onB);
            awaitSubscribed(b, a, onA);
            // Probes sent before Redis answered were counted as not published; a late probe may still arrive.
            long notPublishedBefore = a.notPublished();

            NodeCommand revoke = new NodeCommand.RevokeUser(42, NodeCommand.Revocation.SUSPENDED);
            long t0 = System.nanoTime();
            a.send(revoke);
            assertThat(withoutProbes(onA)).containsExactly(revoke); // before send returned, without Redis
            await(() -> withoutProbes(onB).contains(revoke));
            System.out.println("[revocation] a command crossed Redis in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            Thread.sleep(300); // an echo of our own would have arrived by now
            assertThat(withoutProbes(onB)).containsExactly(revoke);
            assertThat(withoutProbes(onA)).containsExactly(revoke);
            assertThat(a.notPublished()).isEqualTo(notPublishedBefore);
        }
    }

    private static final NodeCommand PROBE = new NodeCommand.SuspendChannel(-1);

    private static List<NodeCommand> withoutProbes(List<NodeCommand> received) {
        return received.stream().filter(c -> !c.equals(PROBE)).toList();
    }

    private static void awaitSubscribed(RedisNodeCommands from, RedisNodeCommands to, List<NodeCommand> received) throws InterruptedException {
        NodeCommand probe = PROBE;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!received.contains(probe)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the other node never got a command");
            from.send(probe);
            Thread.sleep(100);
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT);
            Thread.sleep(5);
        }
    }
}
