package live.cascade.sfu.receive;

import live.cascade.sfu.rtcp.ReportBlock;
import live.cascade.sfu.rtcp.RtcpReceiverReport;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveStatisticsTest {
    private static final long MS = 1_000_000L;

    private static ReportBlock block(ReceiveStatistics s, long now) {
        byte[] buf = new byte[64];
        int n = RtcpWriter.writeReceiverReport(buf, 0, 1, 1);
        n += s.writeReportBlock(buf, n, 77, now);
        RtcpReceiverReport rr = new RtcpReceiverReport();
        assertThat(rr.parse(buf, 0, n)).isEqualTo(RtcpStatus.OK);
        return rr.reportBlock(0);
    }

    @Test
    void countsLossAcrossTheWrapAndReportsFractionPerInterval() {
        ReceiveStatistics s = new ReceiveStatistics(90_000);
        int seq = 65530;
        for (int i = 0; i < 10; i++) {
            if (i != 3 && i != 7) s.onPacket((seq + i) & 0xFFFF, 1000L * i, i * 10 * MS);
        }
        assertThat(s.expected()).isEqualTo(10);
        assertThat(s.cumulativeLost()).isEqualTo(2);
        assertThat(s.extendedHighestSequence()).isEqualTo(65539);

        ReportBlock b = block(s, 100 * MS);
        assertThat(b.ssrc()).isEqualTo(77);
        assertThat(b.cumulativeLost()).isEqualTo(2);
        assertThat(b.fractionLost()).isEqualTo(2 * 256 / 10);
        assertThat(b.extendedHighestSequence()).isEqualTo(65539);
        assertThat(b.lastSr()).isZero();
        assertThat(b.delaySinceLastSr()).isZero();

        // next interval without loss
        for (int i = 10; i < 20; i++) s.onPacket((seq + i) & 0xFFFF, 1000L * i, i * 10 * MS);
        assertThat(block(s, 200 * MS).fractionLost()).isZero();
    }

    @Test
    void duplicatesMakeLossNegativeButFractionZero() {
        ReceiveStatistics s = new ReceiveStatistics(48_000);
        s.onPacket(1, 0, 0);
        s.onPacket(2, 960, 20 * MS);
        s.onPacket(2, 960, 21 * MS);
        assertThat(s.cumulativeLost()).isEqualTo(-1);
        ReportBlock b = block(s, 30 * MS);
        assertThat(b.cumulativeLost()).isEqualTo(-1);
        assertThat(b.fractionLost()).isZero();
    }

    @Test
    void jitterIsZeroForPerfectlyPacedPacketsAndGrowsWithVariation() {
        ReceiveStatistics steady = new ReceiveStatistics(48_000);
        for (int i = 0; i < 50; i++) steady.onPacket(i, 960L * i, 20 * MS * i);
        assertThat(steady.jitter()).isZero();

        ReceiveStatistics jittery = new ReceiveStatistics(48_000);
        for (int i = 0; i < 200; i++) jittery.onPacket(i, 960L * i, 20 * MS * i + (i % 2 == 0 ? 0 : 5 * MS));
        // |D| = 240 units every packet: A.8 converges to 240
        assertThat(jittery.jitter()).isBetween(230L, 240L);
    }

    @Test
    void jitterIgnoresPacketsOfTheSameFrame() {
        ReceiveStatistics s = new ReceiveStatistics(90_000);
        int seq = 0;
        for (int frame = 0; frame < 50; frame++) {
            for (int p = 0; p < 5; p++) s.onPacket(seq++, 3000L * frame, frame * 33_333_333L + p * 2 * MS);
        }
        assertThat(s.jitter()).isLessThan(5);
    }

    @Test
    void reportsLsrAndDlsrFromTheLastSenderReport() {
        ReceiveStatistics s = new ReceiveStatistics(90_000);
        s.onPacket(1, 0, 0);
        long ntp = 0x0000_1234_5678_0000L;
        s.onSenderReport(ntp, 1000 * MS);
        ReportBlock b = block(s, 1500 * MS);
        assertThat(b.lastSr()).isEqualTo(0x1234_5678L);
        assertThat(b.delaySinceLastSr()).isEqualTo(0x8000); // 0.5 s in 1/65536 s
    }

    @Test
    void resetForgetsTheOldStream() {
        ReceiveStatistics s = new ReceiveStatistics(90_000);
        s.onPacket(100, 0, 0);
        s.onPacket(105, 0, 0);
        s.reset();
        assertThat(s.hasPackets()).isFalse();
        s.onPacket(40000, 0, 0);
        assertThat(s.cumulativeLost()).isZero();
        assertThat(s.extendedHighestSequence()).isEqualTo(40000);
    }
}
