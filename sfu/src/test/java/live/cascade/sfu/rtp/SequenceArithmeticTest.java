package live.cascade.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceArithmeticTest {
    @Test
    void sequenceNumbersCompareAcrossTheWrap() {
        assertThat(SequenceNumbers.isNewer(0, 65535)).isTrue();
        assertThat(SequenceNumbers.isNewer(65535, 0)).isFalse();
        assertThat(SequenceNumbers.isNewer(5, 65530)).isTrue();
        assertThat(SequenceNumbers.isNewer(100, 100)).isFalse();
        assertThat(SequenceNumbers.isNewer(32767, 0)).isTrue();
        // exactly half apart: exactly one direction wins
        assertThat(SequenceNumbers.isNewer(32768, 0)).isNotEqualTo(SequenceNumbers.isNewer(0, 32768));
        assertThat(SequenceNumbers.diff(2, 65534)).isEqualTo(4);
        assertThat(SequenceNumbers.diff(65534, 2)).isEqualTo(-4);
        assertThat(SequenceNumbers.add(65535, 2)).isEqualTo(1);
    }

    @Test
    void timestampsCompareAcrossTheWrap() {
        assertThat(Timestamps.isNewer(10, 0xFFFF_FFF0L)).isTrue();
        assertThat(Timestamps.isNewer(0xFFFF_FFF0L, 10)).isFalse();
        assertThat(Timestamps.diff(10, 0xFFFF_FFF0L)).isEqualTo(26);
        assertThat(Timestamps.add(0xFFFF_FFFFL, 3)).isEqualTo(2);
        assertThat(Timestamps.isNewer(0x8000_0000L, 0)).isNotEqualTo(Timestamps.isNewer(0, 0x8000_0000L));
    }

    @Test
    void unwrapperCountsOnThroughTheWrap() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertThat(u.unwrap(65534)).isEqualTo(65534);
        assertThat(u.unwrap(65535)).isEqualTo(65535);
        assertThat(u.unwrap(0)).isEqualTo(65536);
        assertThat(u.unwrap(1)).isEqualTo(65537);
        assertThat(u.highest()).isEqualTo(65537);
    }

    @Test
    void unwrapperPlacesLatePacketsBehindAcrossTheWrap() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        u.unwrap(65530);
        assertThat(u.unwrap(3)).isEqualTo(65539);    // jumped over the wrap (loss)
        assertThat(u.unwrap(65533)).isEqualTo(65533); // late packet from before the wrap
        assertThat(u.highest()).isEqualTo(65539);
        assertThat(u.unwrap(4)).isEqualTo(65540);
    }

    @Test
    void unwrapperSurvivesManyWraps() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        long expected = 60000;
        u.unwrap(60000);
        for (int i = 0; i < 5 * 65536; i += 1000) {
            expected += 1000;
            assertThat(u.unwrap((int) (expected & 0xFFFF))).isEqualTo(expected);
        }
    }

    @Test
    void timestampUnwrapperCountsOnThroughTheWrap() {
        TimestampUnwrapper u = new TimestampUnwrapper();
        assertThat(u.unwrap(0xFFFF_FF00L)).isEqualTo(0xFFFF_FF00L);
        assertThat(u.unwrap(0x100)).isEqualTo(0x1_0000_0100L);
        assertThat(u.unwrap(0xFFFF_FFF0L)).isEqualTo(0xFFFF_FFF0L);
        assertThat(u.highest()).isEqualTo(0x1_0000_0100L);
    }

    @Test
    void convertsBetweenNanosAndClockUnitsWithoutOverflow() {
        assertThat(Timestamps.fromNanos(1_000_000_000L, 90_000)).isEqualTo(90_000);
        assertThat(Timestamps.fromNanos(20_000_000L, 48_000)).isEqualTo(960);
        assertThat(Timestamps.fromNanos(-20_000_000L, 48_000)).isEqualTo(-960);
        long tenYears = 10L * 365 * 24 * 3600 * 1_000_000_000L;
        assertThat(Timestamps.fromNanos(tenYears, 90_000)).isEqualTo(10L * 365 * 24 * 3600 * 90_000);
        assertThat(Timestamps.toNanos(90_000, 90_000)).isEqualTo(1_000_000_000L);
        assertThat(Timestamps.toNanos(960, 48_000)).isEqualTo(20_000_000L);
    }

    @Test
    void ntpTimeRoundTripsAndCompactsForLsr() {
        long epochNanos = 1_767_225_600_123_456_789L; // 2026-01-01T00:00:00.123456789Z
        long ntp = NtpTime.fromEpochNanos(epochNanos);
        assertThat(ntp >>> 32).isEqualTo(1_767_225_600L + NtpTime.EPOCH_OFFSET_SECONDS);
        assertThat(Math.abs(NtpTime.toEpochNanos(ntp) - epochNanos)).isLessThanOrEqualTo(1);
        assertThat(NtpTime.middle32(0x1234_5678_9ABC_DEF0L)).isEqualTo(0x5678_9ABCL);
        assertThat(NtpTime.nanosToCompact(1_500_000_000L)).isEqualTo(0x1_8000L);
        assertThat(NtpTime.compactToNanos(0x1_8000L)).isEqualTo(1_500_000_000L);
        assertThat(NtpTime.nanosToCompact(-5)).isZero();
    }

    @Test
    void absSendTimeIsSixEighteenFixedPointWrappingAt64Seconds() {
        assertThat(AbsSendTime.fromNanos(0)).isZero();
        assertThat(AbsSendTime.fromNanos(1_000_000_000L)).isEqualTo(1 << 18);
        assertThat(AbsSendTime.fromNanos(500_000_000L)).isEqualTo(1 << 17);
        assertThat(AbsSendTime.fromNanos(64_000_000_000L)).isZero();
        assertThat(AbsSendTime.fromNanos(-1_000_000_000L)).isEqualTo(63 << 18);
    }
}
