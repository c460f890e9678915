package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.routing.Sent.payload;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import live.cascade.sfu.engine.HostedRouter;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.spread.ChannelSpread;
import live.cascade.sfu.testkit.RtcpPackets;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One channel's viewers on two real media workers: the publisher and one viewer on the channel's worker, another
 * viewer on the other worker behind a {@link ChannelSpread} relay. Both get every packet, the far viewer's NACK is
 * answered with RTX, and its PLI reaches the publisher through the channel's throttle.
 */
class SpreadRoutingTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);
    private static final Duration TICK = Duration.ofMillis(20);

    private MediaEngine engine;
    private MediaLane home;
    private MediaLane other;
    private HostedRouter hosted;
    private ChannelSpread spread;
    private FakeTransport publisher;
    private MediaReceiver ingress;

    @BeforeEach
    void setUp() {
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0)
                .withWorkerCount(2).withAdvertisedAddresses(List.of(LOOPBACK)));
        home = engine.lanes().get(0);
        other = engine.lanes().get(1);
        RouterConfig config = Fixtures.config();
        publisher = new FakeTransport();
        hosted = home.call(() -> home.hostRouter("spread", Fixtures.publisher(), RouterListener.NONE, config, TICK));
        ingress = home.call(() -> hosted.router().attachPublisher(publisher, Fixtures.publisher()));
        spread = new ChannelSpread("spread", home, hosted.router(), Fixtures.publisher(), config, TICK, 2);
    }

    @AfterEach
    void tearDown() {
        if (spread != null) spread.close();
        if (hosted != null) home.call(() -> {
            hosted.close();
            return null;
        });
        engine.close();
    }

    private static List<TrackParameters> viewerTracks(long base) {
        return List.of(
                new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(109), base + 1, 0, VIEWER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", Fixtures.h264(96, 97), base + 2, base + 3, VIEWER_EXT));
    }

    private ViewerHandle join(MediaLane lane, FakeTransport t, long base) {
        return lane.call(() -> {
            Router r = spread.routerOn(lane);
            assertThat(r).isNotNull();
            assertThat(r == hosted.router()).as("the home lane's viewers join the channel's router").isEqualTo(lane == home);
            return r.addViewer(t, viewerTracks(base));
        });
    }

    private static <T> T eventually(MediaLane lane, Callable<T> read, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = lane.call(read);
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            value = lane.call(read);
        }
        return value;
    }

    private static byte[] deltaPayload(int i) { return bytes(0x41, 0x9A, i & 0xFF, (i >> 8) & 0xFF, 0x33); }

    @Test
    void viewersOnBothWorkersGetEveryPacketAndTheFarViewersNackIsAnsweredWithRtx() throws Exception {
        FakeTransport near = new FakeTransport();
        FakeTransport far = new FakeTransport();
        ViewerHandle nearViewer = join(home, near, 0xA0);
        ViewerHandle farViewer = join(other, far, 0xB0);
        assertThat(spread.relayLanes()).containsExactly(1);

        int packets = 300;
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < packets; i++) payloads.add(i == 0 ? IDR : deltaPayload(i));
        // Published on the home worker in bursts, as its socket would deliver them.
        for (int burst = 0; burst < packets; burst += 30) {
            int from = burst;
            home.call(() -> {
                for (int i = from; i < from + 30; i++) {
                    byte[] p = video(5000 + i, 3000L * (i / 3), payloads.get(i)).build();
                    ingress.onRtp(p, 0, p.length);
                }
                return null;
            });
            Thread.sleep(5);
        }

        List<RtpHeader> nearGot = eventually(home, () -> withSsrc(near, 0xA2), l -> l.size() >= packets);
        List<RtpHeader> farGot = eventually(other, () -> withSsrc(far, 0xB2), l -> l.size() >= packets);
        assertThat(nearGot).hasSize(packets);
        assertThat(farGot).as("every packet crossed to the other worker once and reached its viewer").hasSize(packets);
        for (int i = 0; i < packets; i++) {
            assertThat(payload(farGot.get(i))).as("packet %d, in order", i).isEqualTo(payload(nearGot.get(i)));
            assertThat(payload(farGot.get(i))).isEqualTo(payloads.get(i));
            assertThat(farGot.get(i).sequenceNumber()).isEqualTo((farGot.get(0).sequenceNumber() + i) & 0xFFFF);
            assertThat((farGot.get(i).timestamp() - farGot.get(0).timestamp()) & 0xFFFF_FFFFL).isEqualTo(3000L * (i / 3));
        }
        assertThat(spread.pipe(1).droppedToRelay()).isZero();

        // The far viewer lost packet 123: its NACK (in its own sequence numbers) is answered with RTX on its worker.
        int lost = farGot.get(123).sequenceNumber();
        byte[] nack = RtcpPackets.nack(0x777, 0xB2, lost);
        other.call(() -> {
            far.clear();
            farViewer.rtcpInput().onRtcp(nack, 0, nack.length);
            return null;
        });
        List<RtpHeader> rtx = eventually(other, () -> withSsrc(far, 0xB3), l -> !l.isEmpty());
        assertThat(rtx).hasSize(1);
        assertThat(rtx.get(0).payloadType()).isEqualTo(97);
        byte[] p = payload(rtx.get(0));
        assertThat(BigEndian.u16(p, 0)).as("OSN: the far viewer's sequence number").isEqualTo(lost);
        assertThat(Arrays.copyOfRange(p, 2, p.length)).isEqualTo(payloads.get(123));
        assertThat(home.call(() -> withSsrc(near, 0xA3))).as("the near viewer asked for nothing").isEmpty();
        assertThat(nearViewer.isClosed()).isFalse();
        assertThat(home.call(() -> hosted.router().stats().viewers())).as("the pipe is not listed as a viewer").hasSize(1);
        assertThat(spread.relayViewerStats()).hasSize(1);
        assertThat(spread.relayViewerStats().getFirst().tracks().get(1).packetsSent()).isGreaterThanOrEqualTo(packets);
    }

    @Test
    void aPublisherRepairReachesTheFarViewerThroughThePipe() throws Exception {
        FakeTransport far = new FakeTransport();
        join(other, far, 0xB0);
        // Publisher loss: 7002 never arrives at first, so neither worker has it.
        home.call(() -> {
            for (int i = 0; i < 6; i++) {
                if (i == 2) continue;
                byte[] p = video(7000 + i, 3000L * i, i == 0 ? IDR : deltaPayload(i)).build();
                ingress.onRtp(p, 0, p.length);
            }
            return null;
        });
        List<RtpHeader> before = eventually(other, () -> withSsrc(far, 0xB2), l -> l.size() >= 5);
        assertThat(before).hasSize(5);
        // The publisher's retransmission reaches the home router, whose history takes it and forwards it once,
        // also down the pipe: the far viewer gets the packet it was missing.
        byte[] repaired = video(7002, 3000L * 2, deltaPayload(2)).build();
        home.call(() -> {
            ingress.onRtp(repaired, 0, repaired.length);
            return null;
        });
        List<RtpHeader> after = eventually(other, () -> withSsrc(far, 0xB2), l -> l.size() >= 6);
        assertThat(after).hasSize(6);
        assertThat(payload(after.get(5))).isEqualTo(deltaPayload(2));
    }

    @Test
    void aFarViewersKeyframeRequestReachesThePublisherThroughTheChannelsThrottle() throws Exception {
        FakeTransport far = new FakeTransport();
        ViewerHandle farViewer = join(other, far, 0xB0);
        home.call(() -> {
            byte[] p = video(100, 0, IDR).build();
            ingress.onRtp(p, 0, p.length);
            return null;
        });
        eventually(other, () -> withSsrc(far, 0xB2), l -> !l.isEmpty());
        Thread.sleep(Fixtures.config().keyframeRequestInterval().toMillis() + 100);
        int plisBefore = home.call(() -> Sent.rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI).size());

        byte[] pli = RtcpPackets.pli(0x777, 0xB2);
        other.call(() -> {
            farViewer.rtcpInput().onRtcp(pli, 0, pli.length);
            return null;
        });

        int plisAfter = eventually(home, () -> Sent.rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI).size(),
                n -> n > plisBefore);
        assertThat(plisAfter).as("the far viewer's PLI reached the publisher").isEqualTo(plisBefore + 1);
    }

    @Test
    void closingTheSpreadClosesTheRelayAndItsViewers() throws Exception {
        FakeTransport far = new FakeTransport();
        ViewerHandle farViewer = join(other, far, 0xB0);
        Router relay = other.call(() -> spread.routerOn(other));
        assertThat(eventually(home, () -> hosted.router().pipeCount(), n -> n == 1)).isEqualTo(1);
        assertThat(home.call(() -> hosted.router().viewerCount())).as("a pipe is not a viewer").isZero();
        spread.close();
        assertThat(eventually(other, relay::isClosed, closed -> closed)).isTrue();
        assertThat(other.call(farViewer::isClosed)).isTrue();
        assertThat(other.call(() -> spread.routerOn(other))).as("no relay after the end").isNull();
        assertThat(eventually(home, () -> hosted.router().pipeCount(), n -> n == 0)).as("the pipe left the channel's router").isZero();
    }
}
