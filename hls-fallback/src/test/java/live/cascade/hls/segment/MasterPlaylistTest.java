package live.cascade.hls.segment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MasterPlaylistTest {
    @Test
    void listsVariantsHighestFirstWithTheirAttributes() {
        MasterPlaylist m = new MasterPlaylist(List.of(
                new Variant("360p", "360p/index.m3u8", 1_100_000, 900_000, 640, 360, 30, "avc1.64001e,mp4a.40.2"),
                new Variant("source", "source/index.m3u8", 3_300_000, 2_500_000, 1280, 720, 30, "avc1.42c01f,mp4a.40.2")));
        assertThat(m.render("?token=abc")).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=3300000,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.42c01f,mp4a.40.2"
                source/index.m3u8?token=abc
                #EXT-X-STREAM-INF:BANDWIDTH=1100000,AVERAGE-BANDWIDTH=900000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.64001e,mp4a.40.2"
                360p/index.m3u8?token=abc
                """);
    }
}
