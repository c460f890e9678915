package live.cascade.hls.sync;

import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.NtpTime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts audio and video frames on one timeline, in microseconds, from their RTP timestamps and the publisher's RTCP
 * sender reports. Each track's RTP clock starts at a random offset; a sender report ties that clock to the publisher's
 * wall clock (NTP), which both tracks share, so the two can be lined up. The alignment is decided once, when every
 * track has a frame and a plausible report, or after {@code waitNanos} without them (then by arrival time), and frames
 * are held back until then. Later reports are not applied: moving a running timeline would make players stall.
 *
 * <p>Plausible means near the stream's own timestamps: OBS's first report carries RTP timestamp 0xFFFFFFFF, which is
 * ignored, and its later reports are used.
 *
 * <p>{@link #restart} continues the timeline after a gap (a publisher that reconnected): the new streams start just
 * after the last frame emitted.
 */
public final class AvSync {
    private static final long MAX_PENDING_NANOS = 4_000_000_000L;

    private static final class Track {
        final int clockRate;
        boolean hasFirst;
        long firstTimestamp;
        long firstArrival;
        boolean hasReport;
        long reportNtpNanos;
        long reportTimestamp;
        boolean anchored;
        long offsetMicros;

        Track(int clockRate) { this.clockRate = clockRate; }

        /** The publisher's wall-clock time (epoch nanos) of its first frame, from the report. */
        long firstFrameNtpNanos() {
            return reportNtpNanos + (firstTimestamp - reportTimestamp) * 1_000_000_000L / clockRate;
        }

        void reset() {
            hasFirst = hasReport = anchored = false;
        }
    }

    /** How the current timeline was aligned, for logs and tests. */
    public enum Alignment { PENDING, SENDER_REPORTS, ARRIVAL_TIME }

    private final Map<MediaKind, Track> tracks = new EnumMap<>(MediaKind.class);
    private final long waitNanos;
    private final Consumer<TimedFrame> output;
    private final List<EncodedFrame> pending = new ArrayList<>();
    private Alignment alignment = Alignment.PENDING;
    private long resumeAtMicros;
    private long zeroNtpNanos;
    private long zeroArrivalNanos;
    private long lastEmittedMicros = -1;
    private long implausibleReports;

    /**
     * @param clockRates  RTP clock rate of each track the publication has
     * @param waitNanos   how long to wait for sender reports before aligning by arrival time
     */
    public AvSync(Map<MediaKind, Integer> clockRates, long waitNanos, Consumer<TimedFrame> output) {
        clockRates.forEach((k, rate) -> tracks.put(k, new Track(rate)));
        this.waitNanos = waitNanos;
        this.output = output;
    }

    public void onFrame(EncodedFrame f) {
        Track t = tracks.get(f.kind());
        if (t == null) return;
        if (!t.hasFirst) {
            t.hasFirst = true;
            t.firstTimestamp = f.rtpTimestamp();
            t.firstArrival = f.arrivalNanos();
        }
        if (alignment == Alignment.PENDING) {
            pending.add(f);
            tryAlign(f.arrivalNanos(), false);
            return;
        }
        if (!t.anchored) anchorLate(t);
        emit(t, f);
    }

    /**
     * @param extendedTimestamp the report's RTP timestamp extended near the track's own (or -1 before any packet)
     * @param latestTimestamp   the track's newest extended RTP timestamp received so far
     */
    public void onSenderReport(MediaKind kind, long ntpTimestamp, long extendedTimestamp, long latestTimestamp, long nowNanos) {
        Track t = tracks.get(kind);
        if (t == null) return;
        if (extendedTimestamp < 0 || !t.hasFirst) return; // nothing to tie it to yet
        // A report describes "now" at the sender, and the newest packet is from about now too. 0xFFFFFFFF (OBS's
        // first report) or anything else ten seconds away from the stream's own timestamps is not a usable mapping.
        if (Math.abs(extendedTimestamp - latestTimestamp) > 10L * t.clockRate || ntpTimestamp == 0) {
            implausibleReports++;
            return;
        }
        t.hasReport = true;
        t.reportNtpNanos = NtpTime.toEpochNanos(ntpTimestamp);
        t.reportTimestamp = extendedTimestamp;
        if (alignment == Alignment.PENDING) tryAlign(nowNanos, false);
    }

    /** Aligns by arrival time when the reports are overdue. Call every few milliseconds. */
    public void poll(long nowNanos) {
        if (alignment == Alignment.PENDING) tryAlign(nowNanos, false);
    }

    /** Emits everything held back, aligning with what is known (end of stream). */
    public void flush(long nowNanos) {
        if (alignment == Alignment.PENDING && !pending.isEmpty()) tryAlign(nowNanos, true);
    }

    /** Continues the timeline after the last emitted frame: the next streams are new (a reconnected publisher). */
    public void restart(long gapMicros) {
        pending.clear();
        for (Track t : tracks.values()) t.reset();
        alignment = Alignment.PENDING;
        resumeAtMicros = lastEmittedMicros < 0 ? resumeAtMicros : lastEmittedMicros + gapMicros;
    }

    private void tryAlign(long nowNanos, boolean force) {
        boolean allReady = true;
        boolean anyFrame = false;
        long earliestArrival = Long.MAX_VALUE;
        for (Track t : tracks.values()) {
            if (t.hasFirst) {
                anyFrame = true;
                earliestArrival = Math.min(earliestArrival, t.firstArrival);
            }
            if (!t.hasFirst || !t.hasReport) allReady = false;
        }
        if (!anyFrame) return;
        boolean overdue = nowNanos - earliestArrival >= waitNanos || nowNanos - earliestArrival >= MAX_PENDING_NANOS;
        if (!allReady && !overdue && !force) return;
        boolean byReports = true;
        for (Track t : tracks.values()) if (t.hasFirst && !t.hasReport) byReports = false;
        if (byReports) {
            long zero = Long.MAX_VALUE;
            for (Track t : tracks.values()) if (t.hasFirst) zero = Math.min(zero, t.firstFrameNtpNanos());
            zeroNtpNanos = zero;
            zeroArrivalNanos = Long.MAX_VALUE;
            for (Track t : tracks.values()) {
                if (!t.hasFirst) continue;
                long rel = t.firstFrameNtpNanos() - zero;
                t.offsetMicros = resumeAtMicros + rel / 1000;
                t.anchored = true;
                zeroArrivalNanos = Math.min(zeroArrivalNanos, t.firstArrival - rel);
            }
            alignment = Alignment.SENDER_REPORTS;
        } else {
            zeroArrivalNanos = earliestArrival;
            for (Track t : tracks.values()) {
                if (!t.hasFirst) continue;
                t.offsetMicros = resumeAtMicros + (t.firstArrival - earliestArrival) / 1000;
                t.anchored = true;
            }
            alignment = Alignment.ARRIVAL_TIME;
        }
        List<EncodedFrame> held = List.copyOf(pending);
        pending.clear();
        for (EncodedFrame f : held) emit(tracks.get(f.kind()), f);
    }

    /** A track whose first frame came after the timeline was aligned. */
    private void anchorLate(Track t) {
        if (alignment == Alignment.SENDER_REPORTS && t.hasReport) {
            t.offsetMicros = resumeAtMicros + (t.firstFrameNtpNanos() - zeroNtpNanos) / 1000;
        } else {
            t.offsetMicros = resumeAtMicros + (t.firstArrival - zeroArrivalNanos) / 1000;
        }
        t.anchored = true;
    }

    private void emit(Track t, EncodedFrame f) {
        long pts = t.offsetMicros + (f.rtpTimestamp() - t.firstTimestamp) * 1_000_000L / t.clockRate;
        if (pts < 0) return; // before the timeline's start (a frame older than the first of the other track)
        lastEmittedMicros = Math.max(lastEmittedMicros, pts);
        output.accept(new TimedFrame(f, pts));
    }

    public Alignment alignment() { return alignment; }

    /** Where the timeline's zero lies on this machine's monotonic clock (for wall-clock times of segments). */
    public long zeroArrivalNanos() { return zeroArrivalNanos; }

    public long resumeAtMicros() { return resumeAtMicros; }

    public long lastEmittedMicros() { return lastEmittedMicros; }

    public long implausibleReports() { return implausibleReports; }
}
