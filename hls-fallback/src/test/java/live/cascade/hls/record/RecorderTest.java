package live.cascade.hls.record;

import live.cascade.hls.SyntheticSource;
import live.cascade.hls.media.StreamFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;

class RecorderTest {
    @TempDir
    Path dir;

    /** The parameter sets of the first keyframe as Annex B extradata, as the tap builds it. */
    private static StreamFormat h264Format(List<SyntheticSource.Coded> video) {
        byte[] sps = null;
        byte[] pps = null;
        for (byte[] n : live.cascade.hls.RtpPacketizer.splitAnnexB(video.getFirst().data())) {
            if ((n[0] & 0x1F) == 7) sps = n;
            if ((n[0] & 0x1F) == 8) pps = n;
        }
        byte[] extra = StreamFormat.annexB(sps, pps);
        return new StreamFormat(true, AV_CODEC_ID_H264, 320, 240, 0, 0, extra, 90_000, 0, 0, StreamFormat.avcCodecString(extra));
    }

    @Test
    void startsAtTheFirstKeyframeAndWritesAFragmentedMp4() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 15, 3.0);
        Recorder r = new Recorder(dir.resolve("r/recording.mp4"), h264Format(video), null);
        r.video(new byte[]{0, 0, 0, 1, 0x41, 1}, 0, false); // before any keyframe: not kept
        for (SyntheticSource.Coded c : video) r.video(c.data(), 100_000 + c.ticks() * 1000 / 90, c.keyframe());
        RecordingResult res = r.finish();
        r.close();
        assertThat(res.failed()).isFalse();
        assertThat(res.durationMicros() / 1e6).isCloseTo(3.0, within(0.1));
        Mp4FragmentIndex idx = Mp4FragmentIndex.read(res.file());
        assertThat(idx.fragments()).hasSizeGreaterThanOrEqualTo(1);
        assertThat(idx.durationMicros() / 1e6).isCloseTo(3.0, within(0.1));
        String vod = VodPlaylist.render(idx, "video.mp4");
        assertThat(vod).contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("BYTERANGE=\"" + idx.initLength() + "@0\"").endsWith("#EXT-X-ENDLIST\n");
        assertThat(MediaProbe.probe(res.file()).width()).isEqualTo(320);
    }

    @Test
    void aFullDiskStopsTheRecordingWithAnErrorAndNeverThrows() {
        Path full = Path.of("/dev/full");
        if (!Files.exists(full)) throw new AssertionError("/dev/full is needed to simulate a full disk (Linux)");
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 15, 4.0);
        Recorder r = new Recorder(full, h264Format(video), null);
        for (SyntheticSource.Coded c : video) r.video(c.data(), c.ticks() * 1000 / 90, c.keyframe());
        RecordingResult res = r.finish();
        r.close();
        assertThat(res.failed()).isTrue();
        assertThat(res.diskFull()).as(res.error()).isTrue();
        assertThat(res.error()).containsIgnoringCase("space");
    }

    private static final StreamFormat OPUS = new StreamFormat(false, AV_CODEC_ID_OPUS, 0, 0, 48_000, 2, StreamFormat.opusHead(2),
            48_000, 0, 960, "opus");

    /** Video frames and 20 ms Opus packets in time order, audio at {@code audioMicros(n)} for packet n. */
    private static void feed(Recorder r, List<SyntheticSource.Coded> video, List<SyntheticSource.Coded> audio, long offsetMicros,
                             java.util.function.IntToLongFunction audioMicros) {
        int a = 0;
        for (SyntheticSource.Coded c : video) {
            long v = offsetMicros + c.ticks() * 1000 / 90;
            while (a < audio.size() && offsetMicros + audio.get(a).ticks() * 1000 / 48 <= v) {
                r.audio(audio.get(a).data(), offsetMicros + audioMicros.applyAsLong(a));
                a++;
            }
            r.video(c.data(), v, c.keyframe());
        }
    }

    @Test
    void aPacketTheMuxerRefusesIsDroppedAndCountedAndTheRecordingGoesOn() {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 15, 3.0);
        List<SyntheticSource.Coded> audio = SyntheticSource.opus(3.0);
        Recorder r = new Recorder(dir.resolve("r/recording.mp4"), h264Format(video), OPUS);
        // Audio packet 50 (1 s) carries packet 49's timestamp, unsanitised: the MP4 muxer refuses it (EINVAL).
        feed(r, video, audio, 0, n -> (n == 50 ? 49 : n) * 20_000L);
        RecordingResult res = r.finish();
        r.close();
        assertThat(res.failed()).as(res.error()).isFalse();
        assertThat(res.droppedPackets()).isEqualTo(1);
        assertThat(res.parts()).containsExactly(res.file());
        assertThat(MediaProbe.probe(res.file()).durationMicros() / 1e6).isCloseTo(3.0, within(0.1));
    }

    @Test
    void aMuxerThatKeepsRefusingIsClosedCleanlyAndTheRecordingContinuesInANewPart() throws Exception {
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 15, 4.0);
        List<SyntheticSource.Coded> audio = SyntheticSource.opus(4.0);
        Recorder r = new Recorder(dir.resolve("r/recording.mp4"), h264Format(video), OPUS);
        // From 1 s to 1.1 s every audio packet claims 0.9 s: five refusals in a row, the first part is closed there.
        // The second part starts at the next keyframe (GOP 0.5 s: at 1.5 s) and runs to the end (4 s).
        feed(r, video, audio, 0, n -> n >= 50 && n < 55 ? 900_000L : n * 20_000L);
        RecordingResult res = r.finish();
        r.close();
        assertThat(res.failed()).as(res.error()).isFalse();
        assertThat(res.droppedPackets()).isEqualTo(5);
        assertThat(res.recoveries()).as("parts %s, recorder recoveries %d, %s", res.parts(), r.recoveries(), r.lastRecovery()).isEqualTo(1);
        assertThat(res.parts()).containsExactly(dir.resolve("r/recording.mp4"), dir.resolve("r/recording-2.mp4"));
        MediaProbe.Info first = MediaProbe.probe(res.parts().get(0));
        MediaProbe.Info second = MediaProbe.probe(res.parts().get(1));
        assertThat(first.durationMicros() / 1e6).as("first part, closed with its trailer").isCloseTo(1.1, within(0.15));
        assertThat(second.durationMicros() / 1e6).isCloseTo(2.5, within(0.15));
        assertThat(second.videoCodec()).isEqualTo("h264");
        assertThat(second.audioCodec()).isEqualTo("opus");
        assertThat(res.durationMicros() / 1e6).isCloseTo(3.6, within(0.2));
        Mp4FragmentIndex i1 = Mp4FragmentIndex.read(res.parts().get(0));
        Mp4FragmentIndex i2 = Mp4FragmentIndex.read(res.parts().get(1));
        assertThat(i2.durationMicros() / 1e6).isCloseTo(2.5, within(0.15));
        // VOD plays the parts as one: each with its own initialization segment, a discontinuity between them.
        String vod = VodPlaylist.render(List.of(i1, i2), List.of("media", "media?part=2"));
        assertThat(vod).contains("#EXT-X-MAP:URI=\"media\",BYTERANGE=\"" + i1.initLength() + "@0\"\n")
                .contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"media?part=2\",BYTERANGE=\"" + i2.initLength() + "@0\"\n")
                .endsWith("#EXT-X-ENDLIST\n");
        assertThat(vod.split("#EXT-X-DISCONTINUITY", -1)).hasSize(2);
        double listed = java.util.regex.Pattern.compile("#EXTINF:([0-9.]+),").matcher(vod).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
        assertThat(listed).isCloseTo((i1.durationMicros() + i2.durationMicros()) / 1e6, within(0.01));
    }
}
