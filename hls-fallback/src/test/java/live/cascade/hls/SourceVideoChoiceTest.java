package live.cascade.hls;

import live.cascade.hls.ladder.SourceVideo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --hls-source}: which publishers get their source rendition encoded. */
class SourceVideoChoiceTest {
    @TempDir
    Path dir;

    @Test
    void autoEncodesForAWebrtcPublisherAndCopiesForAnIngestWhileCopyAndEncodeHoldForBoth() {
        assertThat(SourceVideo.AUTO.forPublisher(true)).isEqualTo(SourceVideo.ENCODE);
        assertThat(SourceVideo.AUTO.forPublisher(false)).isEqualTo(SourceVideo.COPY);
        for (boolean webrtc : new boolean[]{true, false}) {
            assertThat(SourceVideo.COPY.forPublisher(webrtc)).isEqualTo(SourceVideo.COPY);
            assertThat(SourceVideo.ENCODE.forPublisher(webrtc)).isEqualTo(SourceVideo.ENCODE);
        }
    }

    @Test
    void eachTapGetsTheChoiceForItsOwnPublisher() {
        MediaTaps taps = new MediaTaps(HlsSettings.defaults(dir).withSourceVideo(SourceVideo.AUTO), null, RecordingListener.NONE,
                Clock.systemUTC());
        try {
            HlsTap whip = taps.open(1, "whip", List.of(), () -> {}, () -> {}, true);
            HlsTap rtmp = taps.open(2, "rtmp", List.of(), () -> {}, () -> {}, false);
            assertThat(whip.settings().sourceVideo()).isEqualTo(SourceVideo.ENCODE);
            assertThat(rtmp.settings().sourceVideo()).isEqualTo(SourceVideo.COPY);
            assertThat(taps.settings().sourceVideo()).as("the node's setting is left as configured").isEqualTo(SourceVideo.AUTO);
        } finally {
            taps.close();
        }
    }
}
