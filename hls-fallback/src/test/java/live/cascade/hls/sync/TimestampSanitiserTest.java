package live.cascade.hls.sync;

import live.cascade.sfu.params.MediaKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static live.cascade.sfu.params.MediaKind.AUDIO;
import static live.cascade.sfu.params.MediaKind.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recorded timestamp sequences through the real front of a tap ({@link TimingHarness}), each output checked against
 * timestamps and counters worked out by hand. Unless a test says otherwise: video at 10 fps (9000 ticks of 90 kHz per
 * frame, 100 ms) and audio at 50 packets a second (960 ticks of 48 kHz, 20 ms), both captured from wall time 0,
 * arriving 5 ms after capture, with sender reports at wall time 0 (so the timeline is aligned by reports and frame n
 * of video is at n × 100 000 µs, of audio at n × 20 000 µs).
 */
class TimestampSanitiserTest {
    static final long V0 = 1_000_000;
    static final long A0 = 7_777_777;

    /** Feeds video and audio frames in arrival order from {@code fromMillis} to {@code toMillis} (inclusive). */
    static void play(TimingHarness h, int fromMillis, int toMillis, LongUnaryOperator videoTs, LongUnaryOperator audioTs) {
        for (int ms = fromMillis; ms <= toMillis; ms += 20) {
            if (ms % 100 == 0) h.video(videoTs.applyAsLong(ms / 100), ms + 5);
            h.audio(audioTs.applyAsLong(ms / 20), ms + 5);
            if (ms == 0) {
                h.report(VIDEO, 0, V0, 6);
                h.report(AUDIO, 0, A0, 6);
            }
        }
    }

    static long video(long n) { return V0 + 9000 * n; }

    static long audio(long n) { return A0 + 960 * n; }

    /** {@code step} × n for n in [from, to], except those listed. */
    static List<Long> steps(long step, int from, int to, int... except) {
        List<Long> out = new ArrayList<>();
        outer:
        for (int n = from; n <= to; n++) {
            for (int e : except) if (e == n) continue outer;
            out.add(step * n);
        }
        return out;
    }

    @Test
    void aRepeatedAudioTimestampIsDroppedAndARepeatedVideoTimestampNudgedForward() {
        TimingHarness h = new TimingHarness(1000);
        // Audio packet 3 repeats packet 2's timestamp; video frame 2 repeats frame 1's.
        play(h, 0, 500, n -> n == 2 ? video(1) : video(n), n -> n == 3 ? audio(2) : audio(n));

        assertThat(h.audio).isEqualTo(steps(20_000, 0, 25, 3));
        assertThat(h.video).containsExactly(0L, 100_000L, 101_000L, 300_000L, 400_000L, 500_000L);
        assertThat(h.count(AUDIO, TimestampCorrection.DUPLICATE)).isEqualTo(1);
        assertThat(h.count(VIDEO, TimestampCorrection.DUPLICATE)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(2);
    }

    @Test
    void aSmallStepBackDropsTheAudioPacketAndNudgesTheVideoFrame() {
        TimingHarness h = new TimingHarness(1000);
        // Audio packet 5 is 50 ms early (raw 50 000 µs after 80 000); video frame 3 is 150 ms early (raw 150 000 after
        // 200 000): both well within the 1 s jump threshold.
        play(h, 0, 500, n -> n == 3 ? video(3) - 13_500 : video(n), n -> n == 5 ? audio(5) - 2400 : audio(n));

        assertThat(h.audio).isEqualTo(steps(20_000, 0, 25, 5));
        assertThat(h.video).containsExactly(0L, 100_000L, 200_000L, 201_000L, 400_000L, 500_000L);
        assertThat(h.count(AUDIO, TimestampCorrection.BACKWARD_STEP)).isEqualTo(1);
        assertThat(h.count(VIDEO, TimestampCorrection.BACKWARD_STEP)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(2);
    }

    @Test
    void aLargeStepBackIsReAnchoredWhereArrivalTimePutsIt() {
        TimingHarness h = new TimingHarness(1000);
        // From frame 5 on, the video clock is 20 s behind (a looping source). The only report is from before: it does
        // not agree with the new timestamps, so frame 5 goes one arrival interval (100 ms) after frame 4.
        play(h, 0, 1000, n -> n >= 5 ? video(n) - 20 * 90_000 : video(n), TimestampSanitiserTest::audio);

        assertThat(h.video).isEqualTo(steps(100_000, 0, 10));
        assertThat(h.audio).isEqualTo(steps(20_000, 0, 50));
        assertThat(h.count(VIDEO, TimestampCorrection.JUMP_BACKWARD)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(1);
    }

    @Test
    void aLargeJumpForwardIsReAnchoredAndTheOtherTrackIsUntouched() {
        TimingHarness h = new TimingHarness(1000);
        // From packet 10 (200 ms) on, the audio clock is 30 s ahead (an encoder restart).
        play(h, 0, 1000, TimestampSanitiserTest::video, n -> n >= 10 ? audio(n) + 30 * 48_000 : audio(n));

        assertThat(h.audio).isEqualTo(steps(20_000, 0, 50));
        assertThat(h.video).isEqualTo(steps(100_000, 0, 10));
        assertThat(h.count(AUDIO, TimestampCorrection.JUMP_FORWARD)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(1);
    }

    @Test
    void aJumpForwardThatTheSenderReportsConfirmIsAGapInTheMediaAndLeftAlone() {
        TimingHarness h = new TimingHarness(1000);
        // Video frames 3 to 32 never arrive (a 3 s outage); frame 33 comes at 3305 ms with its own timestamp. The
        // report from wall time 0 agrees with it (3.3 s of clock for 3.3 s of arrival): not a jump.
        play(h, 0, 200, TimestampSanitiserTest::video, TimestampSanitiserTest::audio);
        h.video(video(33), 3305);
        h.video(video(34), 3405);

        assertThat(h.video).containsExactly(0L, 100_000L, 200_000L, 3_300_000L, 3_400_000L);
        assertThat(h.node.total()).isZero();
    }

    @Test
    void aJumpIsPlacedByASenderReportOnTheNewClockEvenWhenTheFrameArrivesLate() {
        TimingHarness h = new TimingHarness(1000);
        // At wall time 1000 ms the video clock jumps 5 s ahead; its report says so at once (RTCP follows RTP), and
        // frames 10 to 13 arrive together 300 ms late. By the report, frame n lies at n × 100 ms; by arrival, frame 10
        // would have gone to 1.3 s.
        play(h, 0, 980, TimestampSanitiserTest::video, TimestampSanitiserTest::audio);
        long jump = 5 * 90_000;
        h.report(VIDEO, 1000, video(10) + jump, 1001);
        for (int n = 10; n <= 13; n++) h.video(video(n) + jump, 1305);
        h.video(video(14) + jump, 1405);

        assertThat(h.video).isEqualTo(steps(100_000, 0, 14));
        assertThat(h.count(VIDEO, TimestampCorrection.JUMP_FORWARD)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(1);
    }

    @Test
    void bothTracksJumpingToNewBasesTogetherStayInSync() {
        TimingHarness h = new TimingHarness(1000);
        // An encoder restart on the same SSRCs at 600 ms: both clocks start over from unrelated values.
        long newVideo = 0x7000_0000L;
        long newAudio = 0x0123_4567L;
        play(h, 0, 1000, n -> n >= 6 ? newVideo + 9000 * (n - 6) : video(n), n -> n >= 30 ? newAudio + 960 * (n - 30) : audio(n));

        assertThat(h.video).isEqualTo(steps(100_000, 0, 10));
        assertThat(h.audio).isEqualTo(steps(20_000, 0, 50));
        assertThat(h.count(VIDEO, TimestampCorrection.JUMP_FORWARD) + h.count(VIDEO, TimestampCorrection.JUMP_BACKWARD)).isEqualTo(1);
        assertThat(h.count(AUDIO, TimestampCorrection.JUMP_FORWARD) + h.count(AUDIO, TimestampCorrection.JUMP_BACKWARD)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(2);
    }

    @Test
    void timestampsThatWrapAt32BitsContinueWithoutACorrection() {
        TimingHarness h = new TimingHarness(1000);
        // Video starts 65 536 ticks (0.73 s) and audio 256 ticks (5 ms) before 2^32: both wrap within the first second.
        long v0 = 0xFFFF_0000L;
        long a0 = 0xFFFF_FF00L;
        for (int ms = 0; ms <= 2000; ms += 20) {
            if (ms % 100 == 0) h.video((v0 + 9000L * (ms / 100)) & 0xFFFF_FFFFL, ms + 5);
            h.audio((a0 + 960L * (ms / 20)) & 0xFFFF_FFFFL, ms + 5);
            if (ms == 0) {
                h.report(VIDEO, 0, v0, 6);
                h.report(AUDIO, 0, a0, 6);
            }
            if (ms % 1000 == 0 && ms > 0) {
                h.report(VIDEO, ms, (v0 + 90L * ms) & 0xFFFF_FFFFL, ms + 1);
                h.report(AUDIO, ms, (a0 + 48L * ms) & 0xFFFF_FFFFL, ms + 1);
            }
        }
        assertThat(h.video).isEqualTo(steps(100_000, 0, 20));
        assertThat(h.audio).isEqualTo(steps(20_000, 0, 100));
        assertThat(h.node.total()).isZero();
    }

    @Test
    void anAudioClockDriftingFromTheReportsIsReAnchoredOnThem() {
        // The audio clock really runs at 50.4 kHz but claims 48 kHz: 1008 ticks per 20 ms packet, so by its timestamps
        // packet n lies at 21 000 n µs, 5 % ahead of its capture time 20 000 n. Its reports tell the truth (50 400 ticks
        // per second). Jump threshold 200 ms: the report at 4 s shows 200 ms of drift (not beyond), the one at 5 s
        // (arriving 5001 ms) 250 ms: packet 250 (raw 5 250 000) is re-anchored at its report time, 5 000 000. Packets
        // 250..260 (5 000 000 + 21 000 m for m = 0..10, all at or below packet 249's 5 229 000) are then dropped as a
        // step back; from packet 261 (5 231 000) audio goes on.
        TimingHarness h = new TimingHarness(200);
        for (int ms = 0; ms <= 6000; ms += 20) {
            if (ms % 1000 == 0 && ms > 0) { // a report arrives 1 ms after it was sent, before that instant's frames
                h.report(VIDEO, ms, video(ms / 100), ms + 1);
                h.report(AUDIO, ms, A0 + 50_400L * (ms / 1000), ms + 1);
            }
            if (ms % 100 == 0) h.video(video(ms / 100), ms + 5);
            h.audio(A0 + 1008L * (ms / 20), ms + 5);
            if (ms == 0) {
                h.report(VIDEO, 0, V0, 6);
                h.report(AUDIO, 0, A0, 6);
            }
        }
        List<Long> expected = steps(21_000, 0, 249);
        for (int n = 261; n <= 300; n++) expected.add(5_000_000L + 21_000L * (n - 250));
        assertThat(h.audio).isEqualTo(expected);
        assertThat(h.video).isEqualTo(steps(100_000, 0, 60));
        assertThat(h.count(AUDIO, TimestampCorrection.DRIFT)).isEqualTo(1);
        assertThat(h.count(AUDIO, TimestampCorrection.BACKWARD_STEP)).isEqualTo(11);
        assertThat(h.node.total()).isEqualTo(12);
    }

    @Test
    void aReconnectWithNewTimestampBasesContinuesJustAfterTheLastFrame() {
        TimingHarness h = new TimingHarness(1000);
        play(h, 0, 1000, TimestampSanitiserTest::video, TimestampSanitiserTest::audio);
        // The publisher comes back 4 s later on new SSRCs with new random bases; the pipeline continues 100 ms (one
        // video frame) after the last frame (1 000 000 µs), so both first frames of the new streams are at 1 100 000.
        h.reconnect(100_000);
        long v1 = 0x1234_5678L;
        long a1 = 0x0BAD_F00DL;
        for (int ms = 5000; ms <= 5500; ms += 20) {
            if (ms % 100 == 0) h.video(v1 + 9000L * ((ms - 5000) / 100), ms + 5);
            h.audio(a1 + 960L * ((ms - 5000) / 20), ms + 5);
            if (ms == 5000) {
                h.report(VIDEO, 5000, v1, 5006);
                h.report(AUDIO, 5000, a1, 5006);
            }
        }
        List<Long> video = steps(100_000, 0, 10);
        for (int n = 0; n <= 5; n++) video.add(1_100_000L + 100_000L * n);
        List<Long> audio = steps(20_000, 0, 50);
        for (int n = 0; n <= 25; n++) audio.add(1_100_000L + 20_000L * n);
        assertThat(h.video).isEqualTo(video);
        assertThat(h.audio).isEqualTo(audio);
        assertThat(h.count(VIDEO, TimestampCorrection.NEW_TIMESTAMP_BASE)).isEqualTo(1);
        assertThat(h.count(AUDIO, TimestampCorrection.NEW_TIMESTAMP_BASE)).isEqualTo(1);
        assertThat(h.node.total()).isEqualTo(2);
    }
}
