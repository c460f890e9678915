package live.cascade.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The capacity load tool against a real node (its own process) and a real FFmpeg WHIP publisher: 20 viewers join,
 * every one of them decrypts and authenticates every packet it gets, loses none on loopback, and leaves cleanly.
 */
@Tag("integration")
class ViewerLoadTest {
    @Test
    void twentyViewersDecryptEveryPacketLoseNoneAndLeaveCleanly() throws Exception {
        LoadRun.Options options = new LoadRun.Options(null, null, null, 0, 1, "512m", null, null, 800, "320x180", List.of(), null, List.of());

        ViewerLoad.Result r = ViewerLoad.run(options, new int[] {20}, 5, 50, 2);

        StepFigures step = r.steps().getFirst();
        assertThat(step.connected()).as("viewers connected and decrypting video").isEqualTo(20);
        assertThat(step.failed()).isZero();
        assertThat(step.authFailures()).as("SRTP/SRTCP packets that did not authenticate").isZero();
        assertThat(step.deliveredPerSecond()).as("packets a second the viewers decrypted").isGreaterThan(20 * 30);
        assertThat(step.nodeCores()).as("the node's CPU, read from /proc").isPositive();
        for (LoadViewer v : r.viewers()) {
            assertThat(v.failure).as("viewer %d's failure", v.id).isNull();
            assertThat(v.video.unique()).as("video packets of viewer %d", v.id).isGreaterThan(30);
            assertThat(v.audio.unique()).as("audio packets of viewer %d", v.id).isGreaterThan(30);
            assertThat(v.video.expected() - v.video.unique()).as("video packets viewer %d never got", v.id).isZero();
            assertThat(v.audio.expected() - v.audio.unique()).as("audio packets viewer %d never got", v.id).isZero();
            assertThat(v.rtcpTagFailures + v.rtcpReplayed).as("SRTCP packets viewer %d refused", v.id).isZero();
            assertThat(v.unverified).as("packets viewer %d counted without authenticating them", v.id).isZero();
            assertThat(v.otherSsrcPackets).as("packets on an SSRC the answer did not announce").isZero();
            assertThat(v.rtcpPackets).as("sender reports viewer %d decrypted", v.id).isPositive();
            assertThat(v.state).isEqualTo(LoadViewer.State.CLOSED);
        }
        assertThat(r.endedSessions()).as("sessions the node ended on DELETE").isEqualTo(20);
        assertThat(r.viewerSessionsAfter()).as("WHEP sessions the node still holds after the viewers left").isZero();
    }
}
