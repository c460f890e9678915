package live.cascade.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckedBitrateTest {
    private static final long MS = 1_000_000L;

    /** {@code pps} packets a second of {@code bytes} each for {@code millis}, from {@code start}; returns the end. */
    private static long feed(AckedBitrate a, long start, int pps, int bytes, long millis) {
        long step = 1_000_000_000L / pps;
        long t = start;
        for (; t < start + millis * MS; t += step) a.add(t, bytes);
        return t;
    }

    @Test
    void aModestStreamIsMeasuredInTheFirstRing() {
        AckedBitrate a = new AckedBitrate();
        feed(a, 0, 200, 1000, 2_000);
        assertThat(a.bitsPerSecond()).isBetween(1_560_000L, 1_640_000L);
        assertThat(a.capacity()).isEqualTo(AckedBitrate.INITIAL_CAPACITY);
    }

    @Test
    void aFastStreamGrowsTheRingAndIsStillMeasuredWhole() {
        AckedBitrate a = new AckedBitrate();
        long t = feed(a, 0, 200, 1000, 1_000);
        // 5,000 packets a second of 1,200 bytes: 48 Mbit/s, 1,500 packets in the window.
        feed(a, t, 5_000, 1200, 1_000);
        assertThat(a.capacity()).isEqualTo(2_048);
        assertThat(a.bitsPerSecond()).isBetween(47_000_000L, 49_000_000L);
    }
}
