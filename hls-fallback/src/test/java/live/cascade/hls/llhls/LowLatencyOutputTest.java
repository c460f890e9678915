package live.cascade.hls.llhls;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A broadcast's renditions: each reports the others, and a playlist is rendered once per change, not per request. */
class LowLatencyOutputTest {
    @Test
    void aPlaylistIsRenderedOncePerChangeOfAnyRendition() {
        LowLatencyOutput out = new LowLatencyOutput(new LowLatencySettings(Duration.ofMillis(333)), 8);
        LowLatencyRendition a = out.add("source", 2, null);
        LowLatencyRendition b = out.add("360p", 2, null);
        for (LowLatencyRendition r : new LowLatencyRendition[]{a, b}) {
            r.onInit();
            r.onPartStart(0, true);
            r.onPartEnd(333_000);
        }
        String first = out.render(a, false);
        assertThat(first).contains("#EXT-X-RENDITION-REPORT:URI=\"../360p/index.m3u8\",LAST-MSN=0,LAST-PART=0");
        assertThat(out.render(a, false)).as("nothing changed: the same text").isSameAs(first);
        assertThat(out.render(a, true)).isEqualTo(first); // nothing to skip yet
        b.onPartStart(333_000, false);
        b.onPartEnd(666_000);
        String after = out.render(a, false);
        assertThat(after).as("another rendition moved: its report changes").contains("URI=\"../360p/index.m3u8\",LAST-MSN=0,LAST-PART=1");
        assertThat(out.reportsFor("360p")).extracting(RenditionReport::uri).containsExactly("../source/index.m3u8");
    }
}
