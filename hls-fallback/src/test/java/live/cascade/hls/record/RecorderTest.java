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
}
