package live.cascade.api.cluster;

import live.cascade.api.cluster.ChannelPlacement.Claim;
import live.cascade.api.cluster.ChannelPlacement.Holder;
import live.cascade.api.cluster.ChannelPlacement.Refresh;
import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeover of a claim whose holder left the deployment, on the in-process forms with one clock the test moves: the
 * registry's rule (gone {@link NodeRegistry#GONE_AFTER} after the last heartbeat) decides, not the claim's own TTL, and
 * a holder that is only slow keeps its claim. The Redis form: {@code redis.RedisPlacementTakeoverTest}.
 */
class PlacementTakeoverTest {
    private final ManualClock clock = new ManualClock();
    private final LocalNodeRegistry registry = new LocalNodeRegistry(clock);
    private final LocalChannelPlacement placement = new LocalChannelPlacement(clock, FencingCounter.inMemory(), ChannelPlacement.TTL,
            HolderLiveness.registryOnly(registry));

    private static NodeInfo node(String id) {
        return new NodeInfo(id, "http://127.0.0.1:1", "", NodeLoad.IDLE, false);
    }

    private static long granted(Claim claim) {
        assertThat(claim).isInstanceOf(Claim.Granted.class);
        return ((Claim.Granted) claim).token();
    }

    /** Moves the clock by {@code step}, b announcing itself at every heartbeat as a live node does. */
    private void advanceWithBAlive(Duration step) {
        Duration left = step;
        while (left.compareTo(NodeRegistry.HEARTBEAT) > 0) {
            clock.advance(NodeRegistry.HEARTBEAT);
            registry.announce(node("b"));
            left = left.minus(NodeRegistry.HEARTBEAT);
        }
        clock.advance(left);
        registry.announce(node("b"));
    }

    @Test
    void aHolderGoneFromTheRegistryLosesItsClaimBeforeTheClaimLapsesAndIsFencedAfter() {
        registry.announce(node("a"));
        registry.announce(node("b"));
        long old = granted(placement.claim(7, "a"));
        // a's claim thread refreshes 1.5 s after its last heartbeat, then a dies (SIGKILL): no more of either.
        advanceWithBAlive(Duration.ofMillis(1500));
        assertThat(placement.refresh(7, "a", old)).isEqualTo(new Refresh.Kept());

        advanceWithBAlive(NodeRegistry.GONE_AFTER.minus(Duration.ofMillis(1501)));
        assertThat(placement.claim(7, "b")).as("a still listed (its last heartbeat was 5.999 s ago)")
                .isEqualTo(new Claim.HeldElsewhere(new Holder("a", old)));
        advanceWithBAlive(Duration.ofMillis(1));
        assertThat(registry.node("a")).as("a gone from the registry").isEmpty();
        assertThat(placement.holder(7)).as("a's claim itself has 1.5 s to live").contains(new Holder("a", old));

        long newer = granted(placement.claim(7, "b"));
        assertThat(newer).isGreaterThan(old);
        Holder b = new Holder("b", newer);
        assertThat(placement.holder(7)).contains(b);
        // a, back (it was only cut off) or a process with its id: its old token is fenced, and b is alive.
        registry.announce(node("a"));
        assertThat(placement.refresh(7, "a", old)).isEqualTo(new Refresh.Fenced(b));
        assertThat(placement.claim(7, "a")).isEqualTo(new Claim.HeldElsewhere(b));
        placement.release(7, "a", old);
        assertThat(placement.holder(7)).contains(b);
        assertThat(placement.refresh(7, "b", newer)).isEqualTo(new Refresh.Kept());
    }

    @Test
    void aSlowHolderThatMissedHeartbeatsButIsStillListedKeepsItsClaim() {
        registry.announce(node("a"));
        registry.announce(node("b"));
        long token = granted(placement.claim(7, "a"));
        // a misses two heartbeats (4 s without one) and refreshes late, but is heard from before GONE_AFTER.
        for (int round = 0; round < 5; round++) {
            advanceWithBAlive(NodeRegistry.GONE_AFTER.minus(Duration.ofMillis(100)));
            assertThat(placement.claim(7, "b")).as("round %d: a is slow, not gone", round).isEqualTo(new Claim.HeldElsewhere(new Holder("a", token)));
            registry.announce(node("a"));
            assertThat(placement.refresh(7, "a", token)).isEqualTo(new Refresh.Kept());
        }
        assertThat(placement.holder(7)).contains(new Holder("a", token));
    }

    @Test
    void aHolderThatLeftOnPurposeIsTakenOverAtOnce() {
        registry.announce(node("a"));
        registry.announce(node("b"));
        long old = granted(placement.claim(7, "a"));
        registry.leave("a"); // its shutdown: out of the registry before its broadcasts have ended and released
        assertThat(granted(placement.claim(7, "b"))).isGreaterThan(old);
    }

    @Test
    void withoutATakeoverRuleAClaimChangesHandsOnlyWhenItLapses() {
        LocalChannelPlacement strict = new LocalChannelPlacement(clock, FencingCounter.inMemory(), ChannelPlacement.TTL);
        long old = granted(strict.claim(7, "a"));
        clock.advance(ChannelPlacement.TTL.minusMillis(1));
        assertThat(strict.claim(7, "b")).isEqualTo(new Claim.HeldElsewhere(new Holder("a", old)));
        clock.advance(Duration.ofMillis(1));
        assertThat(granted(strict.claim(7, "b"))).isGreaterThan(old);
    }

    @Test
    void theHolderItselfReclaimsWithItsOwnTokenWhateverTheRegistrySays() {
        long token = granted(placement.claim(7, "a")); // a not announced (yet)
        assertThat(placement.claim(7, "a")).isEqualTo(new Claim.Granted(token));
    }
}
