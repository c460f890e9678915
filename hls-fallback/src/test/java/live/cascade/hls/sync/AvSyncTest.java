package live.cascade.hls.sync;

import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.NtpTime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AvSyncTest {
    private final List<TimedFrame> out = new ArrayList<>();
    private final AvSync sync = new AvSync(Map.of(MediaKind.VIDEO, 90_000, MediaKind.AUDIO, 48_000), 2_000_000_000L, 1_000_000,
            (k, r, from, to) -> {}, out::add);
    private static final long EPOCH = 1_700_000_000_000_000_000L;

    private static EncodedFrame frame(MediaKind k, long ts, long arrival) {
        return new EncodedFrame(k, new byte[1], ts, true, arrival);
    }

    private long pts(MediaKind k) {
        return out.stream().filter(t -> t.frame().kind() == k).findFirst().orElseThrow().ptsMicros();
    }

    @Test
    void senderReportsLineUpTracksThatArriveSkewed() {
        // Video captured at wall time 0 has RTP 1000; audio captured at wall time 0 has RTP 5000 (their SRs say so).
        // Audio arrives 300 ms later than video (a slower path): arrival order must not matter.
        sync.onFrame(frame(MediaKind.VIDEO, 1000, 0));
        sync.onSenderReport(MediaKind.VIDEO, NtpTime.fromEpochNanos(EPOCH), 1000, 1000, 1);
        sync.onFrame(frame(MediaKind.AUDIO, 5000 + 4800, 300_000_000)); // captured 100 ms after video's first frame
        assertThat(out).isEmpty();
        sync.onSenderReport(MediaKind.AUDIO, NtpTime.fromEpochNanos(EPOCH), 5000, 9800, 300_000_001);
        assertThat(sync.alignment()).isEqualTo(AvSync.Alignment.SENDER_REPORTS);
        assertThat(pts(MediaKind.VIDEO)).isEqualTo(0);
        assertThat(pts(MediaKind.AUDIO)).isCloseTo(100_000, org.assertj.core.data.Offset.offset(1L));
    }

    @Test
    void obsFirstReportWithTimestampFFFFFFFFIsIgnored() {
        sync.onFrame(frame(MediaKind.VIDEO, 1_000_000, 0));
        sync.onSenderReport(MediaKind.VIDEO, NtpTime.fromEpochNanos(EPOCH), 0xFFFF_FFFFL, 1_000_000, 1);
        assertThat(sync.implausibleReports()).isEqualTo(1);
        sync.onFrame(frame(MediaKind.AUDIO, 2_000, 10));
        sync.onSenderReport(MediaKind.AUDIO, NtpTime.fromEpochNanos(EPOCH), 2_000, 2_000, 11);
        assertThat(sync.alignment()).isEqualTo(AvSync.Alignment.PENDING);
        sync.onSenderReport(MediaKind.VIDEO, NtpTime.fromEpochNanos(EPOCH + 500_000_000L), 1_000_000 + 45_000, 1_000_000, 12);
        assertThat(sync.alignment()).isEqualTo(AvSync.Alignment.SENDER_REPORTS);
    }

    @Test
    void withoutReportsTracksAreAlignedByArrivalAfterTheWait() {
        sync.onFrame(frame(MediaKind.VIDEO, 500, 1_000_000_000L));
        sync.onFrame(frame(MediaKind.AUDIO, 777, 1_050_000_000L));
        sync.poll(2_900_000_000L);
        assertThat(out).isEmpty();
        sync.poll(3_000_000_001L);
        assertThat(sync.alignment()).isEqualTo(AvSync.Alignment.ARRIVAL_TIME);
        assertThat(pts(MediaKind.VIDEO)).isEqualTo(0);
        assertThat(pts(MediaKind.AUDIO)).isEqualTo(50_000);
        sync.onFrame(frame(MediaKind.VIDEO, 500 + 9000, 1_100_000_000L));
        assertThat(out.getLast().ptsMicros()).isEqualTo(100_000);
    }

    @Test
    void aRestartContinuesAfterTheLastFrame() {
        sync.onFrame(frame(MediaKind.VIDEO, 0, 0));
        sync.onFrame(frame(MediaKind.AUDIO, 0, 0));
        sync.flush(0);
        sync.onFrame(frame(MediaKind.VIDEO, 90_000, 1_000_000_000L));
        sync.restart(33_000);
        sync.onFrame(frame(MediaKind.VIDEO, 777_777, 9_000_000_000L));
        sync.onFrame(frame(MediaKind.AUDIO, 4242, 9_000_000_000L));
        sync.flush(9_000_000_000L);
        List<Long> video = out.stream().filter(t -> t.frame().kind() == MediaKind.VIDEO).map(TimedFrame::ptsMicros).toList();
        assertThat(video).containsExactly(0L, 1_000_000L, 1_033_000L);
    }
}
