package live.cascade.hls.segment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentCadenceTest {
    private static final long FRAME = 33_333;

    /** Frame indices where each kind of boundary fell, for {@code frames} frames with a keyframe every {@code gop}. */
    private static List<List<Integer>> run(boolean passthrough, int gop, int frames) {
        SegmentCadence c = new SegmentCadence(2_000_000, passthrough);
        List<Integer> pass = new ArrayList<>();
        List<Integer> enc = new ArrayList<>();
        List<Integer> ask = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            SegmentCadence.Decision d = c.onVideoFrame(i * FRAME, i % gop == 0);
            if (d.passthroughBoundary()) pass.add(i);
            if (d.encodedBoundary()) enc.add(i);
            if (d.requestKeyframe()) ask.add(i);
        }
        return List.of(pass, enc, ask);
    }

    @Test
    void oneSecondKeyframesGiveAlignedTwoSecondSegments() {
        List<List<Integer>> r = run(true, 30, 200);
        assertThat(r.get(0)).containsExactly(0, 60, 120, 180);
        assertThat(r.get(1)).isEqualTo(r.get(0));
    }

    @Test
    void sparseKeyframesLetEncodedRenditionsCutOnTheirOwnAndAskForKeyframes() {
        List<List<Integer>> r = run(true, 150, 330); // a keyframe every 5 s (a default OBS setting)
        assertThat(r.get(0)).containsExactly(0, 150, 300);
        assertThat(r.get(1)).containsExactly(0, 90, 150, 240, 300);
        assertThat(r.get(2)).isNotEmpty();
    }

    @Test
    void anUnansweredKeyframeRequestIsRepeatedEverySecond() {
        List<List<Integer>> r = run(true, 150, 150); // keyframes every 5 s: the requests go unanswered
        // First once 1.8 s of the segment have passed (frame 55), then every second (30 frames) until the keyframe at 5 s.
        assertThat(r.get(2)).containsExactly(55, 85, 115, 145);
    }

    /**
     * Chromium sends a keyframe only when asked and answers within a couple of frames. The answer used to come 1.65 s
     * into the segment, before the 1.75 s that ends one, so it was spent for nothing and the request a second later
     * ended the segment at 2.7 s: two keyframes a segment, 9 in 12 s at the WebRTC viewers of issue 16's benchmark.
     */
    @Test
    void aKeyframeThatAnswersTheRequestEndsTheSegment() {
        SegmentCadence c = new SegmentCadence(2_000_000, true);
        List<Integer> boundaries = new ArrayList<>();
        List<Integer> keyframes = new ArrayList<>();
        int answerAt = 0; // the first frame is a keyframe; afterwards the publisher answers 2 frames after each request
        for (int i = 0; i < 600; i++) { // 20 s
            boolean key = i == answerAt;
            if (key) keyframes.add(i);
            SegmentCadence.Decision d = c.onVideoFrame(i * FRAME, key);
            if (d.passthroughBoundary()) boundaries.add(i);
            if (d.requestKeyframe()) answerAt = i + 2;
        }
        assertThat(boundaries).as("every keyframe the publisher sent ends a segment").isEqualTo(keyframes);
        for (int i = 1; i < boundaries.size(); i++) {
            assertThat((boundaries.get(i) - boundaries.get(i - 1)) * FRAME).as("segment %d's length, µs", i)
                    .isBetween(1_750_000L, 2_000_000L);
        }
    }

    @Test
    void withoutPassThroughGopsAreFixed() {
        List<List<Integer>> r = run(false, 1000, 200);
        assertThat(r.get(0)).isEmpty();
        assertThat(r.get(1)).containsExactly(0, 60, 120, 180);
    }
}
