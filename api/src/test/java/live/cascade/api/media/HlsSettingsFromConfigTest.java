package live.cascade.api.media;

import live.cascade.api.config.ConfigLoader;
import live.cascade.hls.ladder.SourceVideo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HlsSettingsFromConfigTest {
    @Test
    void hlsSourceReachesTheTapsAndAutoIsTheDefault() {
        assertThat(MediaPlane.hlsSettings(ConfigLoader.load(new String[0], Map.of())).sourceVideo()).isEqualTo(SourceVideo.AUTO);
        assertThat(MediaPlane.hlsSettings(ConfigLoader.load(new String[]{"--hls-source", "copy"}, Map.of())).sourceVideo()).isEqualTo(SourceVideo.COPY);
    }

    @Test
    void theLadderAndSimulcastCopyReachTheTapsToo() {
        var s = MediaPlane.hlsSettings(ConfigLoader.load(new String[]{"--hls-ladder", "source,480p", "--hls-simulcast", "copy"}, Map.of()));
        assertThat(s.ladder()).extracting(r -> r.name()).containsExactly("source", "480p");
        assertThat(s.simulcastCopy()).isTrue();
        assertThat(MediaPlane.hlsSettings(ConfigLoader.load(new String[]{"--hls-ladder", "off"}, Map.of())).liveEnabled()).isFalse();
    }
}
