package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.H264_PT;
import static live.cascade.sfu.routing.Fixtures.VIDEO_SSRC;
import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTransportCc;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the publisher's packets arrive every 5 ms, but the media worker is descheduled for 50 ms and then handles
 * the ten that waited in its socket in one burst. Transport-cc must report when they reached the host (the kernel's
 * stamp, passed on as the time each waited), not when the worker got to them: a burst after a silence is what a
 * sender's delay-based estimator reads as a queue building on the path.
 */
class ArrivalStampTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();

    private static byte[] video(int i) {
        return rtp().ssrc(VIDEO_SSRC).pt(H264_PT).seq(1000 + i).ts(90L * i).payload(i == 0 ? Fixtures.IDR : Fixtures.DELTA)
                .ext1(3, bytes((500 + i) >> 8, 500 + i)).build();
    }

    /**
     * From every feedback the publisher got: each packet's arrival (reference time plus the running sum of deltas, in
     * 250 µs ticks), then the differences between consecutive packets, in sequence order.
     */
    private static List<Integer> deltas(FakeTransport publisher) {
        List<Long> arrivals = new ArrayList<>();
        RtcpTransportCc tcc = new RtcpTransportCc();
        for (byte[] p : rtcp(publisher, RtcpTypes.RTPFB, RtcpTypes.FMT_TRANSPORT_CC)) {
            assertThat(tcc.parse(p, 0, p.length)).isEqualTo(RtcpStatus.OK);
            byte[] statuses = new byte[tcc.packetStatusCount()];
            int[] d = new int[statuses.length];
            assertThat(tcc.decode(statuses, d)).isEqualTo(RtcpStatus.OK);
            long t = (long) tcc.referenceTime() * 256;
            for (int i = 0; i < d.length; i++) {
                assertThat(statuses[i]).as("reported received").isNotEqualTo((byte) RtcpTransportCc.NOT_RECEIVED);
                t += d[i];
                arrivals.add(t);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) out.add((int) (arrivals.get(i) - arrivals.get(i - 1)));
        return out;
    }

    /** Packets 0..9 handled as they arrive, 10..19 in one burst 50 ms late, 20..29 on time again. */
    private List<Integer> run(boolean kernelStamps) {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        for (int i = 0; i < 30; i++) {
            if (i < 10 || i >= 20) {
                clock.advanceMillis(5);
                byte[] p = video(i);
                in.onRtp(p, 0, p.length);
            } else {
                if (i == 10) clock.advanceMillis(50); // the worker runs again: packets 10..19 arrived 5 ms apart
                long waited = (19 - i) * 5 * MS;
                byte[] p = video(i);
                if (kernelStamps) in.onRtp(p, 0, p.length, waited); else in.onRtp(p, 0, p.length);
            }
        }
        clock.advanceMillis(60);
        router.onTick(clock.nanoTime());
        if (kernelStamps) {
            assertThat(router.ingestStats().feedback().receiveWaitMillis()).isCloseTo(45.0, org.assertj.core.data.Offset.offset(0.01));
        }
        return deltas(publisher);
    }

    @Test
    void packetsThatWaitedForABusyWorkerAreReportedAtTheirArrivalFiveMillisecondsApart() {
        List<Integer> d = run(true);
        assertThat(d).hasSize(29);
        // 20 ticks of 250 µs = 5 ms from each packet to the next, through the burst.
        assertThat(d).containsOnly(20);
    }

    @Test
    void withoutTheKernelsStampTheBurstLooksLikeAQueueThatBuiltUpAndDrained() {
        List<Integer> d = run(false);
        assertThat(d).hasSize(29);
        // What the node reported before: 50 ms of silence after packet 9, then ten packets at once.
        assertThat(d.get(9)).isEqualTo(200);
        assertThat(d.subList(10, 19)).containsOnly(0);
    }
}
