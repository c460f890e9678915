package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Duration;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restreaming does not depend on HLS or recordings (issue 23): on a node with {@code --hls-ladder off --recordings
 * false}, a channel with a restream destination still gets a tap that remuxes its RTP into FLV (H.264 copied, Opus →
 * AAC) and sends it on; a channel without one gets no running tap at all.
 */
@Tag("integration")
@Timeout(180)
class RestreamWithoutHlsEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--rtmp-port", "0", "--hls-ladder", "off", "--recordings", "false",
            "--publisher-grace", "2s");

    @Test
    void aChannelRestreamsWithTheLadderAndRecordingsOff() {
        MediaNode media = bed.media();
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        assertThat(bed.node().server.media().taps().enabled()).as("the node makes neither HLS nor recordings").isFalse();
        RestreamScenario.run(media, bed.chromium(), port, () ->
                // A's tap restreams; B (live from the restream, with no destination of its own) had one that found
                // nothing to do and stopped.
                Eventually.await("only the restreaming channel keeps a tap", Duration.ofSeconds(10),
                        () -> IntNode.valueOf((int) RestreamScenario.metric(media, "cascade_hls_taps")), n -> n.asInt() == 1,
                        () -> media.node.get("/metrics", null).body().lines().filter(l -> l.startsWith("cascade_hls_taps")).toList().toString()));
    }
}
