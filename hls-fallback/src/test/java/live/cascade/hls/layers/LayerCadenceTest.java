package live.cascade.hls.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segments of the copied layers start only at a picture keyed in every sending layer, once the segment is about the
 * target long; keyframes on all layers are asked for at once before the first segment and from 400 ms before the
 * target, again every second; a layer that stopped sending does not hold the boundaries back.
 */
class LayerCadenceTest {
    private static final long FRAME = 33_333;
    private static final boolean[] ALL = {true, true, true};
    private static final boolean[] NONE = {false, false, false};
    private final LayerCadence cadence = new LayerCadence(3, 2_000_000);

    private LayerCadence.Decision at(int frame, boolean[] present, boolean[] key) { return cadence.onPicture(frame * FRAME, present, key); }

    @Test
    void theFirstSegmentWaitsForAPictureKeyedInEveryLayerAndAsksForItEverySecond() {
        assertThat(at(0, ALL, new boolean[] {true, false, true})).isEqualTo(new LayerCadence.Decision(false, true));
        assertThat(at(1, ALL, NONE).requestKeyframes()).isFalse();
        assertThat(at(30, ALL, NONE).requestKeyframes()).as("a second later").isTrue();
        assertThat(at(31, ALL, ALL)).isEqualTo(new LayerCadence.Decision(true, false));
        assertThat(cadence.segmentStart()).isEqualTo(31 * FRAME);
    }

    @Test
    void theFirstSegmentWaitsForEveryLayerOfThePublicationUnlessOneNeverShowsUp() {
        boolean[] first = {true, false, false};
        assertThat(at(0, first, first).cut()).as("the other layers have not started yet").isFalse();
        boolean[] two = {true, true, false};
        assertThat(at(30, two, two).cut()).isFalse();
        assertThat(at(91, two, two).cut()).as("3 s on, the layer that never came is left out").isTrue();
    }

    @Test
    void laterSegmentsEndAtTheFirstPictureKeyedEverywhereOnceNearTheTarget() {
        at(0, ALL, ALL);
        assertThat(at(20, ALL, ALL).cut()).as("0.67 s: too short").isFalse();
        assertThat(at(48, ALL, NONE)).as("1.599 s: not yet asking").isEqualTo(new LayerCadence.Decision(false, false));
        assertThat(at(49, ALL, NONE)).as("1.63 s: ask all layers").isEqualTo(new LayerCadence.Decision(false, true));
        assertThat(at(52, ALL, new boolean[] {true, true, false}).cut()).as("one layer keyed a picture later").isFalse();
        assertThat(at(53, ALL, new boolean[] {false, false, true}).cut()).isFalse();
        assertThat(at(78, ALL, NONE).requestKeyframes()).as("unanswered in step: asked again a second later").isFalse();
        assertThat(at(79, ALL, NONE).requestKeyframes()).isTrue();
        assertThat(at(80, ALL, ALL).cut()).isTrue();
        assertThat(cadence.segmentStart()).isEqualTo(80 * FRAME);
    }

    @Test
    void aPublisherThatAnswersSlowlyIsAskedEarlier() {
        at(0, ALL, ALL);
        int segmentStart = 0;
        for (int segment = 0; segment < 6; segment++) {
            int asked = -1;
            for (int f = segmentStart + 1; ; f++) {
                // The publisher keys every layer 1.1 s (33 frames) after a request.
                boolean keyed = asked >= 0 && f == asked + 33;
                LayerCadence.Decision d = at(f, ALL, keyed ? ALL : NONE);
                if (d.requestKeyframes() && asked < 0) asked = f;
                if (d.cut()) {
                    segmentStart = f;
                    break;
                }
            }
        }
        // Asked about 1.1 s ahead by now, so segments end near 2 s, not at 2.7 s.
        assertThat(cadence.askAheadMicros()).isBetween(1_050_000L, 1_110_000L);
        int asked = -1;
        int start = segmentStart;
        for (int f = start + 1; ; f++) {
            LayerCadence.Decision d = at(f, ALL, asked >= 0 && f == asked + 33 ? ALL : NONE);
            if (d.requestKeyframes() && asked < 0) asked = f;
            if (d.cut()) {
                assertThat((f - start) * FRAME).as("the segment's length").isBetween(1_900_000L, 2_200_000L);
                break;
            }
        }
    }

    @Test
    void aLayerThatStoppedSendingDoesNotHoldBoundariesBack() {
        at(0, ALL, ALL);
        boolean[] twoLayers = {true, false, true};
        for (int f = 1; f < 60; f++) at(f, twoLayers, NONE);
        assertThat(cadence.sending(1, 60 * FRAME)).isFalse();
        assertThat(at(61, twoLayers, twoLayers).cut()).isTrue();
    }

    @Test
    void aReconnectStartsOverAtTheNextPictureKeyedEverywhere() {
        at(0, ALL, ALL);
        cadence.restart();
        assertThat(cadence.started()).isFalse();
        assertThat(at(5, ALL, new boolean[] {true, true, false}).cut()).isFalse();
        assertThat(at(6, ALL, ALL).cut()).isTrue();
    }
}
