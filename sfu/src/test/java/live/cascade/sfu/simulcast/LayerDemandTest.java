package live.cascade.sfu.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Consumption tracking of simulcast layers: pause after a quiet spell, resume at once (the hysteresis). */
class LayerDemandTest {
    private static final long MS = 1_000_000L;
    private static final long PAUSE = LayerDemand.PAUSE_AFTER_NANOS;
    private static final boolean[] ALL_ACTIVE = {true, true, true};
    private static final long[] BITRATES = {150_000, 500_000, 1_500_000};

    /** One tick every 100 ms from {@code from} to {@code to}, wanting {@code wanted} (layer indexes) on each. */
    private static long ticks(LayerDemand d, long from, long to, int... wanted) {
        long t = from;
        for (; t <= to; t += 100 * MS) {
            for (int w : wanted) d.want(w, t);
            d.update(t, ALL_ACTIVE, BITRATES);
        }
        return t;
    }

    @Test
    void aLayerNobodyWantsIsPausedOnlyAfterTheQuietSpellAndAWantedOneNever() {
        LayerDemand d = new LayerDemand(3);
        long t0 = 1_000 * MS;
        long t = ticks(d, t0, t0 + PAUSE - 100 * MS, 2);
        assertThat(d.paused(0)).as("not yet: %d ms unwanted", (t - 100 * MS - t0) / MS).isFalse();
        assertThat(d.paused(1)).isFalse();
        ticks(d, t, t + 200 * MS, 2);
        assertThat(d.paused(0)).isTrue();
        assertThat(d.paused(1)).isTrue();
        assertThat(d.paused(2)).as("wanted on every tick").isFalse();
        assertThat(d.pausedBitrate(0)).as("what it measured when paused").isEqualTo(150_000);
        assertThat(d.pausedBitrate(2)).isEqualTo(-1);
    }

    @Test
    void wantingAPausedLayerResumesItAtOnceAndShortGapsDoNotPauseItAgain() {
        LayerDemand d = new LayerDemand(3);
        long t = ticks(d, 0, PAUSE + 500 * MS, 2);
        assertThat(d.paused(0)).isTrue();
        int version = d.version();

        d.want(0, t);
        assertThat(d.paused(0)).as("resumed on the want itself, not after a delay").isFalse();
        assertThat(d.version()).isNotEqualTo(version);
        d.update(t, ALL_ACTIVE, BITRATES);
        assertThat(d.paused(0)).isFalse();

        // A viewer that leaves the layer for 2 s at a time and comes back: never long enough to pause it.
        for (int round = 0; round < 5; round++) {
            t = ticks(d, t + 100 * MS, t + 2_000 * MS, 2); // q unwanted for 2 s
            assertThat(d.paused(0)).as("round %d", round).isFalse();
            t = ticks(d, t, t + 300 * MS, 0, 2);
        }
        version = d.version();
        ticks(d, t, t + PAUSE + 200 * MS, 2);
        assertThat(d.paused(0)).isTrue();
        assertThat(d.version()).isEqualTo(version + 1);
    }

    @Test
    void onlyALayerThatWasSendingWhenPausedIsOfferedAndAResumedOneForAWhile() {
        LayerDemand d = new LayerDemand(3);
        long t = 0;
        for (; t <= PAUSE + 200 * MS; t += 100 * MS) {
            d.want(2, t);
            d.update(t, new boolean[] {true, false, true}, BITRATES); // layer 1 fell silent by itself
        }
        assertThat(d.paused(0)).isTrue();
        assertThat(d.paused(1)).isTrue();
        assertThat(d.offered(0, t)).as("paused by us while sending: it comes back when asked").isTrue();
        assertThat(d.offered(1, t)).as("silent before: nothing says it would come back").isFalse();
        assertThat(d.offered(2, t)).as("never paused: only its packets make it available").isFalse();

        d.want(1, t); // a pin, say
        assertThat(d.paused(1)).isFalse();
        assertThat(d.offered(1, t + LayerGroup.ACTIVE_NANOS - MS)).as("on its way back").isTrue();
        assertThat(d.offered(1, t + LayerGroup.ACTIVE_NANOS)).as("it did not come back in time").isFalse();
    }

    @Test
    void aNewPublisherStartsWithNothingPausedAndTheClocksAgain() {
        LayerDemand d = new LayerDemand(2);
        long t = ticks(d, 0, PAUSE + 200 * MS, 1);
        assertThat(d.paused(0)).isTrue();
        d.reset();
        assertThat(d.paused(0)).isFalse();
        ticks(d, t, t + PAUSE - 200 * MS, 1);
        assertThat(d.paused(0)).as("unwanted clock restarted at the new publisher's first tick").isFalse();
    }
}
