package live.cascade.hls.segment;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MediaPlaylistTest {
    private static Segment seg(long seq, String map, long durationMicros, boolean disc) {
        return new Segment(seq, seq + ".m4s", map, seq * 2_000_000, durationMicros, disc,
                Instant.parse("2026-11-22T12:00:00Z").plusSeconds(seq * 2), 1000, 60);
    }

    @Test
    void rendersALiveWindow() {
        MediaPlaylist p = new MediaPlaylist(3, 2);
        for (int i = 0; i < 5; i++) p.add(seg(i, "init-0.mp4", 2_000_000, false));
        assertThat(p.render()).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:2
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MAP:URI="init-0.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-22T12:00:04Z
                #EXTINF:2.000,
                2.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-22T12:00:06Z
                #EXTINF:2.000,
                3.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-22T12:00:08Z
                #EXTINF:2.000,
                4.m4s
                """);
    }

    @Test
    void discontinuitiesGetANewMapAndAreCountedWhenTheyLeave() {
        MediaPlaylist p = new MediaPlaylist(3, 2);
        p.add(seg(0, "init-0.mp4", 2_000_000, false));
        p.add(seg(1, "init-0.mp4", 2_000_000, false));
        p.add(seg(2, "init-1.mp4", 2_000_000, true));
        String r = p.render();
        assertThat(r).contains("1.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n");
        assertThat(r).doesNotContain("DISCONTINUITY-SEQUENCE");
        p.add(seg(3, "init-1.mp4", 2_000_000, false));
        p.add(seg(4, "init-1.mp4", 2_000_000, false));
        List<Segment> gone = p.add(seg(5, "init-1.mp4", 2_000_000, false));
        assertThat(gone).extracting(Segment::sequence).containsExactly(2L);
        assertThat(p.render()).contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n").doesNotContain("#EXT-X-DISCONTINUITY\n");
    }

    @Test
    void targetDurationGrowsWithALongSegmentAndTheEndIsMarked() {
        MediaPlaylist p = new MediaPlaylist(3, 2);
        p.add(seg(0, "init-0.mp4", 3_600_000, false));
        p.end();
        assertThat(p.render()).contains("#EXT-X-TARGETDURATION:4\n").endsWith("#EXT-X-ENDLIST\n");
    }
}
