package live.cascade.sfu.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.PublisherTrack;
import org.junit.jupiter.api.Test;

/** The layer choice's probe target, its hold on the way up, and what a layer paused for want of viewers looks like to it. */
class LayerSelectorTest {
    private static final long S = 1_000_000_000L;
    private static final Codec VP8 = new Codec(96, "VP8", 90_000, 1, "", List.of("nack pli"), -1);
    private static final HeaderExtensions EXT = new HeaderExtensions(1, 0, 3, 0, 10, 11);

    private final PublisherTrack q = layer("q", 0, 320, 180, 150_000);
    private final PublisherTrack h = layer("h", 1, 640, 360, 1_000_000);
    private final PublisherTrack f = layer("f", 2, 1280, 720, 2_000_000);
    private final LayerGroup group = new LayerGroup(new PublisherTrack[] {q, h, f});

    private static PublisherTrack layer(String rid, int index, int width, int height, long bitrate) {
        PublisherTrack t = new PublisherTrack(new TrackParameters(MediaKind.VIDEO, "1", VP8, 0, 0, EXT, rid), index, 64,
                1500, 10, S);
        t.width = width;
        t.height = height;
        t.mediaBitrate = bitrate;
        t.lastSeenNanos = 0;
        return t;
    }

    private static long aimed(long bitrate) {
        return (long) (bitrate * LayerSelector.HEADROOM * LayerSelector.PROBE_MARGIN);
    }

    @Test
    void probesAimAtTheBestLayerUpOrAtAPinnedLayer() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector();
        assertThat(s.probeTarget(group, q, S / 2)).isEqualTo(aimed(2_000_000));
        s.maxHeight(360);
        assertThat(s.probeTarget(group, q, S / 2)).as("the best layer the cap allows").isEqualTo(aimed(1_000_000));
        s.maxHeight(0);
        assertThat(s.probeTarget(group, f, S / 2)).as("nothing above the top").isEqualTo(-1);
        // Pinned above what the viewer is sent: probe toward the pinned layer's rate, so the estimate learns the path.
        s.pin("f");
        assertThat(s.probeTarget(group, q, S / 2)).isEqualTo(aimed(2_000_000));
        s.pin("q");
        assertThat(s.probeTarget(group, q, S / 2)).isEqualTo(aimed(150_000));
        s.pin(null);
        assertThat(s.probeTarget(group, h, S / 2)).isEqualTo(aimed(2_000_000));
    }

    @Test
    void aLayerPausedForWantOfViewersIsChosenAtItsOldRateOnlyWhenThePublisherPauses() {
        group.rank(S / 2);
        for (long t = S / 2; t <= 4 * S; t += S / 10) {
            if (!group.paused(q)) q.lastSeenNanos = t; // all three send until told to pause
            if (!group.paused(h)) h.lastSeenNanos = t;
            f.lastSeenNanos = t;
            group.want(f, t);
            group.updateDemand(t);
        }
        assertThat(group.paused(q)).isTrue();
        assertThat(group.paused(h)).isTrue();
        // The publisher stopped them: their packets stop and their measured rates fall to nothing.
        long now = 6 * S;
        f.lastSeenNanos = now;
        q.mediaBitrate = 0;
        h.mediaBitrate = 0;
        LayerSelector s = new LayerSelector();

        group.rank(now);
        assertThat(s.choose(group, f, 300_000, now)).as("not a publisher that pauses: only f sends").isSameAs(f);

        group.pausing(true);
        group.rank(now);
        assertThat(group.ranked(2)).as("still ranked by size").isSameAs(q);
        assertThat(group.bitrateOf(h)).isEqualTo(1_000_000);
        assertThat(s.choose(group, f, 300_000, now)).as("q at the rate it had fits 300 kbit/s").isSameAs(q);
        assertThat(s.choose(group, f, 1_400_000, now)).isSameAs(h);
        s.maxHeight(360);
        assertThat(s.probeTarget(group, q, now)).as("the paused h, at the rate it had").isEqualTo(aimed(1_000_000));
        s.maxHeight(0);
        s.pin("h");
        assertThat(s.choose(group, f, 300_000, now)).as("a pinned paused layer is chosen, which brings it back").isSameAs(h);
    }

    @Test
    void aMoveUpIsHeldAtTheHigherLayersRateUntilMadeAndNotOnASecondWithoutFrames() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector();
        assertThat(s.choose(group, q, 1_300_000, S)).as("h fits but is held").isSameAs(q);
        assertThat(s.upHoldRate(group, q, S)).as("the path is to carry h's rate meanwhile")
                .isEqualTo((long) (1_000_000 * LayerSelector.HEADROOM));
        for (PublisherTrack t : List.of(q, h, f)) t.lastSeenNanos = 4 * S;
        assertThat(s.choose(group, q, 1_300_000, 4 * S + 1)).as("granted after the hold").isSameAs(h);
        assertThat(s.upHoldRate(group, q, 4 * S + 1)).as("still held until the switch").isPositive();
        assertThat(s.choose(group, h, 1_300_000, 4 * S + 2)).isSameAs(h);
        assertThat(s.upHoldRate(group, h, 4 * S + 2)).as("made: nothing to hold").isEqualTo(-1);

        // f sent nothing for a second (its publisher dropped frames): over that second it reads as fitting 600 kbit/s
        // but its peak over the last seconds does not.
        for (long b : new long[] {2_000_000, 1_900_000, 2_100_000}) feedWindow(f, b);
        feedWindow(f, 0);
        assertThat(f.mediaBitrate).isZero();
        for (PublisherTrack t : List.of(q, h, f)) t.lastSeenNanos = 10 * S;
        LayerSelector viewer = new LayerSelector();
        assertThat(viewer.choose(group, q, 600_000, 10 * S)).isSameAs(q);
        assertThat(viewer.upHoldRate(group, q, 10 * S)).as("no move up to hold").isEqualTo(-1);
    }

    @Test
    void aClimbPastTheMiddleLayerIsGrantedOneHoldAfterItBeganAndAWobbleUnderTheHeadroomDoesNotRestartIt() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector(3 * S);
        assertThat(choose(s, q, 1_300_000, S)).as("h fits: held").isSameAs(q);
        assertThat(choose(s, q, 2_600_000, 2 * S)).as("f fits now: held toward f").isSameAs(q);
        assertThat(s.upHoldRate(group, q, 2 * S)).as("two thirds into the hold: h's rate still")
                .isEqualTo((long) (1_000_000 * LayerSelector.HEADROOM));
        assertThat(s.upHoldRate(group, q, 3 * S)).isEqualTo((long) (2_000_000 * LayerSelector.HEADROOM));
        // Under f's rate with headroom but over its rate: the move goes on (it would restart on every such wobble).
        assertThat(choose(s, q, 2_200_000, 3 * S)).isSameAs(q);
        assertThat(s.upHoldRate(group, q, 3 * S)).as("still holding f's rate").isEqualTo((long) (2_000_000 * LayerSelector.HEADROOM));
        assertThat(choose(s, q, 2_200_000, 4 * S - 1)).as("not before a hold since the climb began").isSameAs(q);
        assertThat(choose(s, q, 2_200_000, 4 * S)).as("one hold after h first fitted, f tried for 2 s").isSameAs(f);
    }

    @Test
    void aMoveUpIsCalledOffUnderTheLayersRateAndALateCandidateIsTriedForAThirdOfTheHold() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector(3 * S);
        assertThat(choose(s, q, 1_300_000, S)).isSameAs(q);
        assertThat(choose(s, q, 900_000, 2 * S)).as("under h's own rate").isSameAs(q);
        assertThat(s.upHoldRate(group, q, 2 * S)).as("called off").isEqualTo(-1);
        assertThat(choose(s, q, 1_300_000, 3 * S)).isSameAs(q);
        assertThat(choose(s, q, 1_300_000, 5 * S + S / 2)).as("the hold began again at 3 s").isSameAs(q);
        assertThat(choose(s, q, 2_600_000, 5 * S + S * 9 / 10)).as("f fits 2.9 s into the hold").isSameAs(q);
        assertThat(choose(s, q, 2_600_000, 6 * S + S / 2)).as("f's own rate tried for 0.6 s only").isSameAs(q);
        assertThat(choose(s, q, 2_600_000, 6 * S + S * 9 / 10)).as("a third of the hold at f's rate").isSameAs(f);
    }

    @Test
    void aHoldTowardTheTopFromTheBottomPadsTheMiddleLayersRateForItsFirstTwoThirds() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector(3 * S);
        assertThat(choose(s, q, 2_600_000, S)).as("f fits at once: held").isSameAs(q);
        long middle = (long) (1_000_000 * LayerSelector.HEADROOM), top = (long) (2_000_000 * LayerSelector.HEADROOM);
        assertThat(s.upHoldRate(group, q, S)).as("the next layer up first").isEqualTo(middle);
        assertThat(s.upHoldRate(group, q, 3 * S - 1)).isEqualTo(middle);
        assertThat(s.upHoldRate(group, q, 3 * S)).as("the last third at the candidate's rate").isEqualTo(top);
        assertThat(s.upHoldRate(group, h, S)).as("one layer up: the candidate's rate throughout").isEqualTo(top);
        assertThat(choose(s, q, 2_600_000, 4 * S)).as("granted after the hold").isSameAs(f);
    }

    @Test
    void aCapSetDuringAHoldIsNotOverstepped() {
        group.rank(S / 2);
        LayerSelector s = new LayerSelector(3 * S);
        assertThat(choose(s, q, 2_600_000, S)).as("f fits: held").isSameAs(q);
        s.maxHeight(360); // the player shrank
        assertThat(choose(s, q, 2_600_000, 2 * S)).isSameAs(q);
        assertThat(s.upHoldRate(group, q, 2 * S)).as("h's rate: f is beyond the cap").isEqualTo((long) (1_000_000 * LayerSelector.HEADROOM));
        assertThat(choose(s, q, 2_600_000, 4 * S)).as("the best layer the cap allows, after the hold").isSameAs(h);
    }

    private PublisherTrack choose(LayerSelector s, PublisherTrack current, long bps, long now) {
        for (PublisherTrack t : List.of(q, h, f)) t.lastSeenNanos = now;
        return s.choose(group, current, bps, now);
    }

    /** One second of the ingest window at {@code bitsPerSecond}, as the router's tick closes it. */
    private static void feedWindow(PublisherTrack t, long bitsPerSecond) {
        if (t.windowStartNanos < 0) t.advanceWindow(0);
        long start = t.windowStartNanos;
        t.bytes += bitsPerSecond / 8;
        t.advanceWindow(start + S);
    }
}
