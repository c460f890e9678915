package live.cascade.hls.layers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per request for keyframes on all layers, the span between the layers' first keyframes; unanswered requests; segment lengths. */
class KeyframeAlignmentTest {
    private static final boolean[] ALL = {true, true, true};
    private static final boolean[] NONE = {false, false, false};

    @Test
    void theSkewOfARequestIsTheSpanOfTheLayersFirstKeyframesAfterIt() {
        KeyframeAlignment a = new KeyframeAlignment(3);
        a.asked(1_000_000);
        a.onPicture(1_033_333, ALL, NONE, ALL);
        a.onPicture(1_066_666, ALL, ALL, ALL);
        a.asked(3_000_000);
        a.onPicture(3_066_666, ALL, new boolean[] {true, false, true}, ALL);
        a.onPicture(3_100_000, ALL, new boolean[] {false, true, false}, ALL);
        assertThat(a.requests()).isEqualTo(2);
        assertThat(a.answered()).isEqualTo(2);
        assertThat(a.inStep()).isEqualTo(1);
        assertThat(a.worstSkewMicros()).isEqualTo(33_334);
    }

    @Test
    void aLayerThatIsNotSendingIsNotWaitedForAndARequestNobodyAnswersCounts() {
        KeyframeAlignment a = new KeyframeAlignment(3);
        boolean[] two = {true, false, true};
        a.asked(0);
        a.onPicture(33_333, two, two, two);
        assertThat(a.inStep()).isEqualTo(1);
        a.asked(1_000_000);
        a.onPicture(3_100_000, ALL, NONE, ALL);
        assertThat(a.unanswered()).isEqualTo(1);
        a.cut(0);
        a.cut(2_000_000);
        a.cut(5_000_000);
        assertThat(a.longestSegmentMicros()).isEqualTo(3_000_000);
        assertThat(a.summary()).contains("2 keyframe requests").contains("1 unanswered").contains("3 aligned segment starts");
    }
}
