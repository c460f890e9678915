package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.DELTA;
import static live.cascade.sfu.routing.Fixtures.H264_PT;
import static live.cascade.sfu.routing.Fixtures.H264_RTX_PT;
import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.VIDEO_RTX_SSRC;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.receive.Stage;
import live.cascade.sfu.receive.StageCounters;
import live.cascade.sfu.receive.StageTotals;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each stage of the receive path counts what it was given, passed on and dropped, and the tick reports it. */
class ReceiveStagesTest {
    private final ManualClock clock = new ManualClock();
    private final StageTotals totals = new StageTotals();
    private Router router;
    private MediaReceiver ingress;
    private FakeTransport viewer;

    @BeforeEach
    void setUp() {
        router = new Router("chan-1", Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock,
                new SplittableRandom(7), totals);
        ingress = router.attachPublisher(new FakeTransport(), Fixtures.publisher());
        viewer = new FakeTransport();
        router.addViewer(viewer, Fixtures.viewer(0xA1, 111, 0xA2, 102, "0", "1", new HeaderExtensions(1, 0, 0, 0, 0, 0)));
    }

    private void publish(byte[] packet) { ingress.onRtp(packet, 0, packet.length); }

    @Test
    void aDuplicateEndsInTheDuplicateFilter() {
        publish(video(1, 0, IDR).build());
        publish(video(2, 0, DELTA).build());
        publish(video(2, 0, DELTA).build());

        StageCounters s = router.stageCounters();
        assertThat(s.in(Stage.DUPLICATE_FILTER)).isEqualTo(3);
        assertThat(s.out(Stage.DUPLICATE_FILTER)).isEqualTo(2);
        assertThat(s.dropped(Stage.DUPLICATE_FILTER)).isEqualTo(1);
        assertThat(router.dropCount(RouterDrop.DUPLICATE_PACKET)).isEqualTo(1);
        assertThat(s.dropped(Stage.DEMUX)).isZero();
        assertThat(s.in(Stage.HISTORY)).isEqualTo(2);
        assertThat(s.in(Stage.FAN_OUT)).isEqualTo(2);
        assertThat(s.out(Stage.FAN_OUT)).as("one viewer video consumer per packet").isEqualTo(2);
        assertThat(viewer.rtp).hasSize(2);
    }

    @Test
    void anUnknownSsrcEndsInTheTrackDemux() {
        publish(rtp().ssrc(0x6666).pt(H264_PT).seq(1).payload(DELTA).build());

        StageCounters s = router.stageCounters();
        assertThat(s.in(Stage.PARSE)).isEqualTo(1);
        assertThat(s.out(Stage.PARSE)).isEqualTo(1);
        assertThat(s.in(Stage.DEMUX)).isEqualTo(1);
        assertThat(s.dropped(Stage.DEMUX)).isEqualTo(1);
        assertThat(s.out(Stage.DEMUX)).isZero();
        assertThat(s.in(Stage.DUPLICATE_FILTER)).isZero();
        assertThat(router.dropCount(RouterDrop.UNKNOWN_SSRC)).isEqualTo(1);
    }

    @Test
    void aRepairedPacketLeavesTheRtxRepairAndIsForwarded() {
        publish(video(1, 0, IDR).build());
        publish(video(3, 0, DELTA).build());
        // Sequence number 2 comes back as RTX: OSN 2, then the original payload.
        publish(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(1).payload(0, 2, 0x41, 0x9A, 0x02, 0x11).build());

        StageCounters s = router.stageCounters();
        assertThat(s.in(Stage.RTX_REPAIR)).isEqualTo(1);
        assertThat(s.out(Stage.RTX_REPAIR)).isEqualTo(1);
        assertThat(s.dropped(Stage.RTX_REPAIR)).isZero();
        assertThat(s.out(Stage.DUPLICATE_FILTER)).as("the repair is new").isEqualTo(3);
        assertThat(router.stats().tracks().get(1).packetsRecovered()).isEqualTo(1);
        assertThat(viewer.rtp).hasSize(3);
    }

    @Test
    void paddingOnlyRtxIsDroppedByTheRtxRepair() {
        publish(video(1, 0, IDR).build());
        publish(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(9).payload(new byte[0]).padding(224).build());

        StageCounters s = router.stageCounters();
        assertThat(s.in(Stage.RTX_REPAIR)).isEqualTo(1);
        assertThat(s.dropped(Stage.RTX_REPAIR)).isEqualTo(1);
        assertThat(router.dropCount(RouterDrop.RTX_PADDING)).isEqualTo(1);
    }

    @Test
    void theTickAndCloseAddTheCountsToTheTotals() {
        publish(video(1, 0, IDR).build());
        publish(video(1, 0, IDR).build());
        assertThat(totals.in(Stage.PARSE)).as("nothing shared is touched per packet").isZero();

        router.onTick(clock.nanoTime());
        assertThat(totals.in(Stage.PARSE)).isEqualTo(2);
        assertThat(totals.dropped(Stage.DUPLICATE_FILTER)).isEqualTo(1);
        router.onTick(clock.nanoTime());
        assertThat(totals.in(Stage.PARSE)).as("each count is added once").isEqualTo(2);

        publish(rtp().ssrc(0x6666).pt(H264_PT).seq(1).payload(DELTA).build());
        router.close();
        assertThat(totals.in(Stage.PARSE)).isEqualTo(3);
        assertThat(totals.dropped(Stage.DEMUX)).isEqualTo(1);
    }
}
