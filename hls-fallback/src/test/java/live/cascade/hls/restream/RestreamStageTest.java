package live.cascade.hls.restream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;

import java.net.ServerSocket;
import java.util.List;
import live.cascade.hls.media.StreamFormat;
import org.junit.jupiter.api.Test;

/**
 * A destination that refuses the connection (a closed port): the stage reports it failed with FFmpeg's reason and
 * the next attempt, never the key, counts the failure, retries with back-off from a later keyframe, and the tap's
 * calls never block meanwhile.
 */
class RestreamStageTest {
    static final byte[] SPS = {0, 0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xD9, 0x00, (byte) 0xA0, 0x47, (byte) 0xFE, (byte) 0xC8};
    static final byte[] PPS = {0, 0, 0, 1, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void aRefusedDestinationFailsWithAReasonAndIsRetriedWithBackoff() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String key = "live_secret_key_1234";
        String server = "rtmp://127.0.0.1:" + closedPort + "/live";
        RestreamCounters counters = new RestreamCounters();
        RestreamStage stage = new RestreamStage(7, "chan",
                id -> List.of(new RestreamDestination(3, server + "/" + key, server)), counters);
        byte[] extradata = new byte[SPS.length + PPS.length];
        System.arraycopy(SPS, 0, extradata, 0, SPS.length);
        System.arraycopy(PPS, 0, extradata, SPS.length, PPS.length);
        StreamFormat video = new StreamFormat(true, AV_CODEC_ID_H264, 320, 240, 0, 0, extradata, 90_000, 0, 0, "avc1.42c01e");
        stage.open(video, true, 2);
        assertThat(stage.status()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(RestreamStatus.State.CONNECTING));
        byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00};
        long deadline = System.nanoTime() + 30_000_000_000L;
        long pts = 0;
        while (counters.failures() < 2 && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            stage.video(idr, pts, true, 0);
            stage.audio(new byte[] {(byte) 0xFC, 1, 2}, pts);
            assertThat(System.nanoTime() - t0).as("the tap's call does not wait for the destination").isLessThan(50_000_000L);
            pts += 33_333;
            Thread.sleep(100);
        }
        assertThat(counters.failures()).as("refused twice: the first attempt, then a retry after 1 s").isGreaterThanOrEqualTo(2);
        RestreamStatus s = stage.status().getFirst();
        assertThat(s.state()).isEqualTo(RestreamStatus.State.FAILED);
        assertThat(s.display()).isEqualTo(server);
        assertThat(s.detail()).contains("could not connect").contains("retrying in").doesNotContain(key);
        assertThat(counters.connects()).isZero();
        stage.close();
        assertThat(stage.status().getFirst().state()).isEqualTo(RestreamStatus.State.FAILED);
    }
}
