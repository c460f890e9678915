package live.cascade.hls.ladder;

import live.cascade.hls.SyntheticSource;
import live.cascade.hls.media.MediaPacket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;

class LadderEncoderTest {
    static List<SyntheticSource.Coded> source;

    @BeforeAll
    static void media() {
        source = SyntheticSource.video("libx264", 640, 360, 30, 30, 4.0); // a keyframe every second
    }

    private record Out(String rendition, long ptsMicros, boolean keyframe, boolean boundary) {
    }

    private static long micros(SyntheticSource.Coded c) { return c.ticks() * 1000 / 90; }

    @Test
    void boundariesForceAlignedKeyframesInEveryRungAndNvencFallsBackToLibx264WhenItCannotOpen() {
        List<Rendition> rungs = List.of(new Rendition("240p", false, 426, 240, 400_000), new Rendition("180p", false, 320, 180, 250_000));
        List<Out> out = new ArrayList<>();
        // No NVIDIA GPU on the build machines: h264_nvenc fails to open and the rungs are encoded with libx264.
        try (LadderEncoder e = new LadderEncoder(AV_CODEC_ID_H264, rungs, "h264_nvenc", "veryfast", 30, 10,
                (r, p, b) -> out.add(new Out(r.name(), p.ptsMicros(), p.keyframe(), b)))) {
            assertThat(e.format(rungs.get(0)).codecs()).startsWith("avc1.");
            for (int i = 0; i < source.size(); i++) {
                SyntheticSource.Coded c = source.get(i);
                boolean boundary = i == 0 || i == 45 || i == 75; // not the source's keyframes (every 30): forced
                e.onSourceFrame(c.data(), micros(c), boundary, c.keyframe());
            }
            e.finish();
        }
        for (Rendition r : rungs) {
            List<Out> mine = out.stream().filter(o -> o.rendition().equals(r.name())).toList();
            assertThat(mine).as(r.name() + " frames").hasSizeBetween(115, 120);
            List<Long> keys = mine.stream().filter(Out::keyframe).map(Out::ptsMicros).toList();
            assertThat(keys).as(r.name() + " keyframes exactly at the boundaries")
                    .containsExactly(micros(source.get(0)), micros(source.get(45)), micros(source.get(75)));
        }
    }

    @Test
    void aPausedLadderEncodesNothingAndResumesAtTheSourcesNextKeyframeWithASegmentBoundary() {
        Rendition rung = new Rendition("240p", false, 426, 240, 400_000);
        List<Out> out = new ArrayList<>();
        try (LadderEncoder e = new LadderEncoder(AV_CODEC_ID_H264, List.of(rung), "libx264", "veryfast", 30, 10,
                (r, p, b) -> out.add(new Out(r.name(), p.ptsMicros(), p.keyframe(), b)))) {
            for (int i = 0; i < source.size(); i++) {
                SyntheticSource.Coded c = source.get(i);
                if (i == 40) e.pause(true);
                if (i == 50) e.pause(false); // the next source keyframe is frame 60
                e.onSourceFrame(c.data(), micros(c), i == 0, c.keyframe());
            }
            e.finish();
        }
        long pausedFrom = micros(source.get(40));
        long resumedAt = micros(source.get(60));
        assertThat(out).noneMatch(o -> o.ptsMicros() >= pausedFrom && o.ptsMicros() < resumedAt);
        Out first = out.stream().filter(o -> o.ptsMicros() >= resumedAt).findFirst().orElseThrow();
        assertThat(first.ptsMicros()).isEqualTo(resumedAt);
        assertThat(first.keyframe()).isTrue();
        assertThat(first.boundary()).as("the resumed ladder starts a segment").isTrue();
    }
}
