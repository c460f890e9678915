package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.H264_RTX_PT;
import static live.cascade.sfu.routing.Fixtures.VIDEO_RTX_SSRC;
import static live.cascade.sfu.routing.Fixtures.VIDEO_SSRC;
import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * The receiver report the publisher's loss-based controller reads (RFC 3550 §6.4.1, A.3, A.8), checked against values
 * computed by hand from a recorded sequence, the report block decoded byte by byte here. Video 100..109, one packet
 * per frame every 10 ms (900 ticks at 90 kHz), 105 lost and later repaired through RTX, 103
 * 2 ms late, and three padding-only RTX packets (bandwidth probes) that must not count as media.
 */
class ReceiverReportToPublisherTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();

    /** One report block: fraction lost, cumulative lost (signed 24 bits), extended highest sequence, jitter. */
    private record Block(long ssrc, int fractionLost, int cumulativeLost, long highest, long jitter) {}

    private static Block videoBlock(byte[] rr) {
        int count = rr[0] & 0x1F;
        for (int i = 0; i < count; i++) {
            int o = 8 + 24 * i;
            long ssrc = u32(rr, o);
            if (ssrc != VIDEO_SSRC) continue;
            int cumulative = ((rr[o + 5] & 0xFF) << 16 | (rr[o + 6] & 0xFF) << 8 | (rr[o + 7] & 0xFF)) << 8 >> 8;
            return new Block(ssrc, rr[o + 4] & 0xFF, cumulative, u32(rr, o + 8), u32(rr, o + 12));
        }
        throw new AssertionError("no block for the video SSRC");
    }

    private static long u32(byte[] b, int o) {
        return (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFFL) << 16 | (b[o + 2] & 0xFFL) << 8 | (b[o + 3] & 0xFFL);
    }

    private static void send(MediaReceiver in, byte[] p) { in.onRtp(p, 0, p.length); }

    @Test
    void rtxRepairsCountAsReceivedPaddingDoesNotInflateExpectedAndJitterFollowsA8() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        FakeTransport publisher = new FakeTransport();
        MediaReceiver in = router.attachPublisher(publisher, Fixtures.publisher());
        long t0 = clock.nanoTime();
        for (int i = 0; i < 10; i++) {
            int seq = 100 + i;
            if (seq == 105) continue;
            long at = t0 + i * 10 * MS + (seq == 103 ? 2 * MS : 0);
            clock.advanceNanos(at - clock.nanoTime());
            send(in, Fixtures.video(seq, 900L * i, i == 0 ? Fixtures.IDR : Fixtures.DELTA).build());
        }
        router.onTick(clock.nanoTime());
        List<byte[]> first = rtcp(publisher, RtcpTypes.RR, -1);
        assertThat(first).hasSize(1);
        // 10 expected (100..109), 9 received: fraction floor(256 × 1/10) = 25, cumulative 1.
        // Jitter by hand (A.8, J += (|D| − J)/16, D in 90 kHz ticks): 103 is 180 late, 104 on time again:
        // 0, 0, 11.25, 21.80, then four on-time packets: 20.44, 19.16, 17.96, 16.84 → 16.
        Block b = videoBlock(first.get(0));
        assertThat(b.fractionLost()).isEqualTo(25);
        assertThat(b.cumulativeLost()).isEqualTo(1);
        assertThat(b.highest()).isEqualTo(109);
        assertThat(b.jitter()).isBetween(16L, 17L);

        // The repair, then three probe packets: RTX SSRC, RTX payload type, nothing but padding.
        clock.advanceMillis(20);
        send(in, rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(7).ts(900L * 5)
                .payload(new byte[] {0, 105, 0x41, (byte) 0x9A, 0x02, 0x11}).build());
        for (int k = 0; k < 3; k++) {
            clock.advanceMillis(1);
            send(in, rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(8 + k).ts(900L * 9).padding(224).build());
        }
        clock.advanceMillis(1_100);
        router.onTick(clock.nanoTime());
        List<byte[]> reports = rtcp(publisher, RtcpTypes.RR, -1);
        assertThat(reports).hasSize(2);
        Block after = videoBlock(reports.get(1));
        // Nothing new expected in this interval, one more received: no loss; the repaired packet is not lost.
        assertThat(after.fractionLost()).isZero();
        assertThat(after.cumulativeLost()).isZero();
        assertThat(after.highest()).as("padding and RTX numbers do not move the media sequence").isEqualTo(109);
        assertThat(after.jitter()).as("a retransmission says nothing about the path's jitter").isEqualTo(b.jitter());
    }
}
