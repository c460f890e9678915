package live.cascade.api.cluster;

import live.cascade.api.cluster.ChannelPlacement.Claim;
import live.cascade.api.cluster.ChannelPlacement.Holder;
import live.cascade.api.cluster.ChannelPlacement.Refresh;
import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The placement rules (claim, refresh, lapse, fencing) on the in-process form with a clock the test moves. */
class PlacementRulesTest {
    private final ManualClock clock = new ManualClock();
    private final LocalChannelPlacement placement = new LocalChannelPlacement(clock, FencingCounter.inMemory(), ChannelPlacement.TTL);

    @Test
    void theFirstClaimWinsAndTheHolderReclaimsWithItsOwnToken() {
        Claim a = placement.claim(7, "a");
        assertThat(a).isInstanceOf(Claim.Granted.class);
        long token = ((Claim.Granted) a).token();
        assertThat(placement.claim(7, "b")).isEqualTo(new Claim.HeldElsewhere(new Holder("a", token)));
        assertThat(placement.claim(7, "a")).isEqualTo(new Claim.Granted(token));
        assertThat(placement.holder(7)).contains(new Holder("a", token));
        assertThat(placement.claim(8, "b")).isInstanceOf(Claim.Granted.class); // another channel is free
    }

    @Test
    void refreshingKeepsTheClaimPastItsTtl() {
        long token = ((Claim.Granted) placement.claim(7, "a")).token();
        for (int i = 0; i < 10; i++) {
            clock.advance(ChannelPlacement.REFRESH);
            assertThat(placement.refresh(7, "a", token)).isEqualTo(new Refresh.Kept());
        }
        assertThat(placement.claim(7, "b")).isInstanceOf(Claim.HeldElsewhere.class);
    }

    @Test
    void anUnrefreshedClaimLapsesAndTheChannelGoesToTheNextClaimantWithALargerToken() {
        long old = ((Claim.Granted) placement.claim(7, "a")).token();
        clock.advance(ChannelPlacement.TTL.minusMillis(1));
        assertThat(placement.holder(7)).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(placement.holder(7)).isEmpty();
        Claim b = placement.claim(7, "b");
        assertThat(b).isInstanceOf(Claim.Granted.class);
        assertThat(((Claim.Granted) b).token()).isGreaterThan(old);
    }

    @Test
    void aHolderThatLostItsClaimIsFencedAndCannotTakeItBack() {
        long old = ((Claim.Granted) placement.claim(7, "a")).token();
        clock.advance(ChannelPlacement.TTL.plusSeconds(1)); // a paused: missed its refreshes
        long newer = ((Claim.Granted) placement.claim(7, "b")).token();

        Holder b = new Holder("b", newer);
        assertThat(placement.refresh(7, "a", old)).isEqualTo(new Refresh.Fenced(b));
        assertThat(placement.claim(7, "a")).isEqualTo(new Claim.HeldElsewhere(b));
        placement.release(7, "a", old); // a stale release does not free the successor's claim
        assertThat(placement.holder(7)).contains(b);
        assertThat(placement.refresh(7, "b", newer)).isEqualTo(new Refresh.Kept());
    }

    @Test
    void aLapsedClaimNobodyTookIsReclaimedWithANewToken() {
        long old = ((Claim.Granted) placement.claim(7, "a")).token();
        clock.advance(ChannelPlacement.TTL);
        assertThat(placement.refresh(7, "a", old)).isEqualTo(new Refresh.Lapsed());
        long again = ((Claim.Granted) placement.claim(7, "a")).token();
        assertThat(again).isGreaterThan(old);
        // The old token is fenced even for its own node: only the newest claim counts.
        assertThat(placement.refresh(7, "a", old)).isEqualTo(new Refresh.Fenced(new Holder("a", again)));
    }

    @Test
    void releaseFreesTheChannelAtOnce() {
        long token = ((Claim.Granted) placement.claim(7, "a")).token();
        placement.release(7, "a", token);
        assertThat(placement.holder(7)).isEmpty();
        assertThat(placement.claim(7, "b")).isInstanceOf(Claim.Granted.class);
    }
}
