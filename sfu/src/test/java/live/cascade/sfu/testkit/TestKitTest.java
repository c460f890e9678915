package live.cascade.sfu.testkit;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.rtcp.RtcpNack;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import org.junit.jupiter.api.Test;

/** The kit's builders agree with the production parsers, and its clock moves every view together. */
class TestKitTest {
    @Test
    void theManualClockMovesMonotonicAndWallTimeTogetherAndOnlyWhenTold() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        MediaClock media = clock;
        Clock inParis = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(media.nanoTime()).isEqualTo(ManualClock.START_NANOS);

        clock.advance(Duration.ofMillis(1500));
        clock.advanceNanos(250_000);

        assertThat(media.nanoTime()).isEqualTo(ManualClock.START_NANOS + 1_500_250_000L);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-22T12:00:01.500250Z"));
        assertThat(media.epochMillis()).isEqualTo(Instant.parse("2026-11-22T12:00:01.500Z").toEpochMilli());
        assertThat(inParis.instant()).as("a zone view shares the time").isEqualTo(clock.instant());
        assertThat(inParis.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(new ManualClock().instant()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void nacksPackedByTheKitReadBackThroughTheProductionParser() {
        byte[] nack = RtcpPackets.nack(0xA, 0xB, 100, 101, 116, 117, 65535, 3);
        RtcpNack view = new RtcpNack();

        assertThat(view.parse(nack, 0, nack.length)).isEqualTo(RtcpStatus.OK);
        int[] seqs = new int[16];
        int n = view.lostSequenceNumbers(seqs);

        assertThat(view.mediaSsrc()).isEqualTo(0xB);
        // 100 leads a pair that also covers 101 and 116; 117 is 17 past 100, so it starts a pair; 65535 and 3 wrap.
        assertThat(Arrays.copyOf(seqs, n)).containsExactly(100, 101, 116, 117, 65535, 3);
        assertThat(view.itemCount()).isEqualTo(3);
    }

    @Test
    void aCountingPayloadFollowsTheSequenceNumber() {
        byte[] p = rtp().ssrc(0x1111).seq(300).pt(111).payloadOfLength(3).build();
        RtpHeader h = new RtpHeader();

        assertThat(h.parse(p, 0, p.length)).isEqualTo(RtpStatus.OK);
        assertThat(h.sequenceNumber()).isEqualTo(300);
        assertThat(h.ssrc()).isEqualTo(0x1111);
        assertThat(Arrays.copyOfRange(p, 12, p.length)).containsExactly((byte) 300, (byte) 301, (byte) 302);
    }
}
