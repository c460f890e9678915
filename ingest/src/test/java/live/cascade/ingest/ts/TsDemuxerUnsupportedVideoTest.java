package live.cascade.ingest.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TS whose video the node cannot take is named to the sink once, so the creator can be told why the broadcast has
 * no picture: a video codec FFmpeg knows (MPEG-2 here) by its name, and a private stream (stream type 0x06, how the
 * bundled FFmpeg writes AV1, read back as data) as such when there is no H.264 or HEVC beside it.
 */
class TsDemuxerUnsupportedVideoTest {
    final List<String> told = new ArrayList<>();
    int frames;

    @Test
    void mpeg2VideoIsNamedOnce() {
        demux(0x02);
        assertThat(told).containsExactly("mpeg2video");
        assertThat(frames).isZero();
    }

    @Test
    void aPrivateStreamWithoutH264OrHevcIsNamedAsWhatFfmpegMakesOfAv1() {
        demux(0x06);
        assertThat(told).singleElement().asString().contains("private stream").contains("AV1");
    }

    @Test
    void h264IsNotReported() {
        demux(0x1B);
        assertThat(told).isEmpty();
        assertThat(frames).isEqualTo(6);
    }

    void demux(int streamType) {
        TsDemuxerLatencyTest ts = new TsDemuxerLatencyTest();
        List<byte[]> messages = new ArrayList<>();
        messages.add(TsDemuxerLatencyTest.tables(streamType));
        for (int i = 0; i < 6; i++) messages.add(ts.pes(TsDemuxerLatencyTest.accessUnit(i, 900 + 50 * i), 90_000 + 3000L * i, i));
        TsDemuxer.run(TsDemuxerLatencyTest.feeding(messages, next -> { }), new TsDemuxer.Sink() {
            @Override public void video(byte[] data, int len, long pts90, long dts90) { frames++; }
            @Override public void hevc(byte[] data, int len, long pts90, long dts90) { frames++; }
            @Override public void audio(byte[] data, int len, long pts90) { }
            @Override public void unsupportedVideo(String what) { told.add(what); }
        });
    }
}
