package live.cascade.sfu.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import live.cascade.sfu.routing.MediaClock;

/**
 * The one clock tests move by hand. It is both the media plane's {@link MediaClock} (monotonic nanoseconds plus wall
 * time) and a {@link java.time.Clock} for code that takes one; every view reads the same elapsed time, so wall time and
 * monotonic time advance together and only when the test says so.
 *
 * <p>Safe to read from other threads (a background task under test); advance it from the test thread.
 */
public final class ManualClock extends Clock implements MediaClock {
    /** {@link #nanoTime()} at the start: an arbitrary positive value, as System.nanoTime() has no meaningful zero. */
    public static final long START_NANOS = 7_000_000_000L;
    /** The default start of wall time, 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final AtomicLong elapsedNanos;
    private final ZoneId zone;

    /** Wall time starts at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    public ManualClock(Instant start) {
        this(start, new AtomicLong(), ZoneOffset.UTC);
    }

    private ManualClock(Instant start, AtomicLong elapsedNanos, ZoneId zone) {
        this.start = start;
        this.elapsedNanos = elapsedNanos;
        this.zone = zone;
    }

    public void advance(Duration d) { advanceNanos(d.toNanos()); }

    public void advanceMillis(long millis) { advanceNanos(millis * 1_000_000L); }

    public void advanceNanos(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("time does not run backwards: " + nanos + " ns");
        elapsedNanos.addAndGet(nanos);
    }

    // MediaClock

    @Override public long nanoTime() { return START_NANOS + elapsedNanos.get(); }

    /** Arithmetic rather than {@code instant()}: allocation tests of the packet path read it per packet. */
    @Override public long epochMillis() { return Math.floorDiv(epochNanos(), 1_000_000L); }

    /** Wall time in nanoseconds since 1970, for RTCP NTP timestamps. */
    public long epochNanos() {
        return start.getEpochSecond() * 1_000_000_000L + start.getNano() + elapsedNanos.get();
    }

    // java.time.Clock

    @Override public Instant instant() { return start.plusNanos(elapsedNanos.get()); }

    @Override public ZoneId getZone() { return zone; }

    /** A view in another zone that still moves with this clock. */
    @Override public Clock withZone(ZoneId zone) { return new ManualClock(start, elapsedNanos, zone); }
}
