package live.cascade.hls.record;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingKeyframesTest {
    private static final long FRAME = 33_333;

    /** Frames at 30 fps from {@code from} to {@code to} µs; keyframes where {@code keyAt} says; returns when it asked. */
    private static List<Long> feed(RecordingKeyframes k, long from, long to, java.util.function.LongPredicate keyAt) {
        List<Long> asked = new ArrayList<>();
        for (long pts = from; pts < to; pts += FRAME) if (k.onVideoFrame(pts, keyAt.test(pts))) asked.add(pts);
        return asked;
    }

    @Test
    void asksTenSecondsAfterTheLastKeyframeAndEverySecondUntilOneComes() {
        RecordingKeyframes k = new RecordingKeyframes();
        List<Long> asked = feed(k, 0, 12_500_000, pts -> pts == 0);
        assertThat(asked).hasSize(3);
        assertThat(asked.get(0)).isBetween(10_000_000L, 10_000_000L + FRAME);
        assertThat(asked.get(1) - asked.get(0)).isBetween(1_000_000L, 1_000_000L + FRAME);
        assertThat(asked.get(2) - asked.get(1)).isBetween(1_000_000L, 1_000_000L + FRAME);
    }

    @Test
    void aPublisherThatKeyframesOnItsOwnEveryTwoSecondsIsNeverAsked() {
        RecordingKeyframes k = new RecordingKeyframes();
        assertThat(feed(k, 0, 60_000_000, pts -> pts % 2_000_000 < FRAME)).isEmpty();
    }

    @Test
    void aKeyframeThatAnswersStartsTheTenSecondsAgain() {
        RecordingKeyframes k = new RecordingKeyframes();
        long answer = 10_100_000;
        List<Long> asked = feed(k, 0, 21_000_000, pts -> pts == 0 || (pts >= answer && pts < answer + FRAME));
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).isBetween(20_100_000L, 20_100_000L + 2 * FRAME);
    }

    @Test
    void nothingIsAskedBeforeTheFirstKeyframeOrAfterARestartUntilTheNextOne() {
        RecordingKeyframes k = new RecordingKeyframes();
        assertThat(feed(k, 0, 15_000_000, pts -> false)).as("the tap asks for the first keyframe itself").isEmpty();
        assertThat(feed(k, 15_000_000, 16_000_000, pts -> pts == 15_000_000)).isEmpty();
        k.restart();
        assertThat(feed(k, 30_000_000, 45_000_000, pts -> false)).isEmpty();
    }
}
