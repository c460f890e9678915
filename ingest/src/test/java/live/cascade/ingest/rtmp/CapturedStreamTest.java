package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import live.cascade.ingest.flv.AvcConfig;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.ingest.rtp.H264Packetizer;
import live.cascade.ingest.rtp.RtpBatch;
import org.junit.jupiter.api.Test;

/**
 * A real publish replayed: {@code rtmp/ffmpeg-publish.bin} is everything the bundled FFmpeg 8.1 sent this server for
 * one second of 160x120 H.264 + AAC ({@code -f flv rtmp://…/live/capture_key}; recorded by {@link CaptureProbe}):
 * its digest-carrying C0/C1, C2, its Set Chunk Size, connect, releaseStream, FCPublish, createStream, publish,
 * {@code @setDataFrame}, the sequence headers and frames, FCUnpublish and deleteStream. Fed in random slices, as TCP
 * may deliver it.
 */
class CapturedStreamTest {
    static byte[] capture() throws IOException { return CapturedPublish.resource("/rtmp/ffmpeg-publish.bin"); }

    @Test
    void ffmpegsWholePublishGoesThroughInAnySlicing() throws IOException {
        byte[] bytes = capture();
        for (long seed = 1; seed <= 5; seed++) {
            CapturedPublish run = CapturedPublish.replay(bytes, seed);
            List<byte[]> video = run.video();
            List<byte[]> audio = run.audio();
            assertThat(run.counters().protocolErrors()).isZero();
            assertThat(run.keys()).containsExactly("capture_key");
            assertThat(run.statusCodes()).contains("NetStream.Publish.Start");
            assertThat(run.events()).as("FCUnpublish/deleteStream ended the publish").containsExactly("close");
            assertThat(video).hasSizeGreaterThanOrEqualTo(15);
            assertThat(video.getFirst()[0] & 0xFF).as("first video tag: AVC keyframe").isEqualTo(0x17);
            assertThat(video.getFirst()[1]).as("… sequence header").isEqualTo((byte) 0);
            assertThat(audio.getFirst()[0] & 0xF0).as("AAC").isEqualTo(0xA0);
            assertThat(audio.getFirst()[1]).as("AAC sequence header first").isEqualTo((byte) 0);
            assertThat(audio).hasSizeGreaterThanOrEqualTo(30);
            if (seed == 1) packetizesEveryFrame(video);
        }
    }

    /** x264's real sequence header and frames through the FLV parser and the RTP packetizer. */
    private static void packetizesEveryFrame(List<byte[]> video) {
        VideoTag header = VideoTag.parse(video.getFirst());
        byte[] h = video.getFirst();
        AvcConfig avc = AvcConfig.parse(h, header.dataOffset(), h.length - header.dataOffset());
        assertThat(avc.profileLevelId()).as("x264 -preset ultrafast: constrained baseline, level 1.0 at 160x120").isEqualTo("42c00a");
        H264Packetizer p = new H264Packetizer(1, 102, 0, 1200);
        RtpBatch batch = new RtpBatch();
        int keyframes = 0;
        for (byte[] tag : video.subList(1, video.size())) {
            VideoTag v = VideoTag.parse(tag);
            assertThat(v.cts()).as("-bf 0: no composition offset").isZero();
            if (v.packetType() != VideoTag.FRAMES) continue;
            if (v.keyframe()) keyframes++;
            assertThat(p.packetize(tag, v.dataOffset(), avc.lengthSize(), 0, v.keyframe(), avc.sps(), batch)).isPositive();
        }
        assertThat(keyframes).isGreaterThanOrEqualTo(1);
        assertThat(batch.isEmpty()).isFalse();
    }
}
