package live.cascade.hls.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layers with their own random RTP origins land on the reference stream's frames of the same picture, through the
 * sender reports, across a 32-bit wrap; a picture the reference skipped is placed by distance; nothing is placed
 * before both reports, nor ahead of the reference.
 */
class LayerClockTest {
    /** NTP of capture time {@code micros} after an arbitrary epoch. */
    private static long ntp(long micros) {
        long seconds = 3_900_000_000L + micros / 1_000_000;
        long fraction = ((micros % 1_000_000) << 32) / 1_000_000;
        return seconds << 32 | fraction;
    }

    private static long rtp(long origin, long micros) { return (origin + micros * 9 / 100) & 0xFFFF_FFFFL; }

    private static final long REF = 4_294_000_000L; // wraps within a minute
    private static final long[] LAYER = {12_345L, 3_000_000_000L, 4_294_967_000L};

    @Test
    void aLayersFrameGetsThePresentationTimeOfTheReferenceFrameOfTheSamePicture() {
        LayerClock c = new LayerClock(3);
        assertThat(c.place(0, rtp(LAYER[0], 0))).isEqualTo(LayerClock.NOT_YET);
        // Reports sent at different moments, each from its own stream's clock.
        c.referenceReport(ntp(100_000), rtp(REF, 100_000));
        for (int l = 0; l < 3; l++) c.layerReport(l, ntp(250_000 + l * 10_000), rtp(LAYER[l], 250_000 + l * 10_000));
        assertThat(c.place(1, rtp(LAYER[1], 0))).as("the reference has no frame yet").isEqualTo(LayerClock.NOT_YET);
        // The timeline is not the capture clock: it starts elsewhere and was nudged by a millisecond at frame 10.
        for (int f = 0; f < 100; f++) {
            long capture = f * 33_333L;
            c.reference(rtp(REF, capture), 5_000_000 + capture + (f >= 10 ? 1_000 : 0));
        }
        for (int l = 0; l < 3; l++) {
            for (int f = 0; f < 100; f++) {
                long capture = f * 33_333L;
                assertThat(c.place(l, rtp(LAYER[l], capture))).as("layer %d frame %d", l, f)
                        .isEqualTo(5_000_000 + capture + (f >= 10 ? 1_000 : 0));
            }
        }
        assertThat(c.snapped()).as("until locked").isEqualTo(3 * LayerClock.LOCK_AFTER);
        assertThat(c.matched()).isEqualTo(300 - 3 * LayerClock.LOCK_AFTER);
        assertThat(c.worstSnapTicks()).isLessThanOrEqualTo(2);
        assertThat(c.place(0, rtp(LAYER[0], 100 * 33_333L))).as("ahead of the reference").isEqualTo(LayerClock.NOT_YET);
    }

    @Test
    void reportsThatAreMillisecondsOffStillGiveTheExactPictureAndALockThatFollowsANewReferenceOffset() {
        LayerClock c = new LayerClock(1);
        // The layer's report is 7 ms off (a busy publisher's pacing): within the snap, never exact.
        c.referenceReport(ntp(0), rtp(REF, 0));
        c.layerReport(0, ntp(0), rtp(LAYER[0], 7_000));
        for (int f = 0; f < 60; f++) c.reference(rtp(REF, f * 33_333L), f * 33_333L);
        for (int f = 0; f < 60; f++) assertThat(c.place(0, rtp(LAYER[0], f * 33_333L))).isEqualTo(f * 33_333L);
        assertThat(c.locked(0)).isTrue();
        assertThat(c.worstSnapTicks()).isBetween(600, 640);

        // The router's stream moves to another layer: a new timestamp offset, and its next report says so.
        long moved = REF + 50_000;
        c.referenceReport(ntp(2_000_000), rtp(moved, 2_000_000));
        for (int f = 60; f < 120; f++) c.reference(rtp(moved, f * 33_333L), f * 33_333L);
        for (int f = 60; f < 120; f++) {
            long pts = c.place(0, rtp(LAYER[0], f * 33_333L));
            if (f >= 60 + LayerClock.UNLOCK_AFTER) assertThat(pts).as("frame %d", f).isEqualTo(f * 33_333L);
        }
        assertThat(c.locked(0)).as("locked again on the new offset").isTrue();
    }

    @Test
    void atThirtyFramesASecondReportsTwelveMillisecondsOffStillSnapToThePictureAndLock() {
        // Seen in a loaded CI run: a layer's reports 12.3 ms off the reference's put its segment start that far from
        // the other renditions'. At 30 fps the neighbouring pictures are 33 ms apart, so 12 ms is still this picture.
        LayerClock c = new LayerClock(1);
        c.referenceReport(ntp(0), rtp(REF, 0));
        c.layerReport(0, ntp(0), rtp(LAYER[0], 12_300));
        for (int f = 0; f < 30; f++) c.reference(rtp(REF, f * 33_333L), f * 33_333L);
        for (int f = 1; f < 30; f++) assertThat(c.place(0, rtp(LAYER[0], f * 33_333L))).as("frame %d", f).isEqualTo(f * 33_333L);
        assertThat(c.locked(0)).isTrue();
        assertThat(c.extrapolated()).isZero();
    }

    @Test
    void aPictureTheReferenceSkippedIsPlacedByItsDistanceFromTheNearestOne() {
        LayerClock c = new LayerClock(1);
        c.referenceReport(ntp(0), rtp(REF, 0));
        c.layerReport(0, ntp(0), rtp(LAYER[0], 0));
        c.reference(rtp(REF, 0), 1_000_000);
        c.reference(rtp(REF, 66_666), 1_066_666);
        assertThat(c.place(0, rtp(LAYER[0], 33_333))).isBetween(1_033_322L, 1_033_344L);
        assertThat(c.extrapolated()).isEqualTo(1);
    }

    @Test
    void aNewPublisherNeedsNewReports() {
        LayerClock c = new LayerClock(1);
        c.referenceReport(ntp(0), rtp(REF, 0));
        c.layerReport(0, ntp(0), rtp(LAYER[0], 0));
        c.reference(rtp(REF, 0), 0);
        assertThat(c.place(0, rtp(LAYER[0], 0))).isZero();
        c.reset();
        assertThat(c.canPlace(0)).isFalse();
        assertThat(c.place(0, rtp(LAYER[0], 0))).isEqualTo(LayerClock.NOT_YET);
    }
}
