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
 *
 * <p>A track whose timestamps jump by more than the jump threshold from one frame to the next (an encoder restart, a
 * looping source, a clock correction, a new stream on the same SSRC) is re-anchored where the common clock puts that
 * frame: by the track's sender report when the report agrees with the media (its RTP timestamp is where the frames'
 * arrival says the stream is), else by arrival time since the track's previous frame. Both tracks are placed by the
 * same clock, so A/V sync survives; a jump that the common clock confirms (a real gap in the media) changes nothing.
 * A track whose reports show its clock drifting from the other's by more than the threshold is re-anchored on the
 * reports the same way. Each re-anchoring is reported to the {@link RebaseListener}.
 */
public final class AvSync {
    private static final long MAX_PENDING_NANOS = 4_000_000_000L;

    /** Told when a track's timeline was moved: {@code fromMicros} where its timestamps put the frame, {@code toMicros} where it went. */
    @FunctionalInterface
    public interface RebaseListener {
        void onRebase(MediaKind kind, TimestampCorrection reason, long fromMicros, long toMicros);
    }

    private static final class Track {
        final int clockRate;
        boolean hasFirst;
        long firstTimestamp;
        long firstArrival;
        boolean hasReport;
        long reportNtpNanos;
        long reportTimestamp;
        long reportArrivalNanos;
        boolean anchored;
        long offsetMicros;
        boolean hasLast;
        long lastPts;
        long lastTimestamp;
        long lastArrival;
        long stepMicros;
        boolean driftPending;

        Track(int clockRate) {
            this.clockRate = clockRate;
            this.stepMicros = clockRate == 90_000 ? 33_333 : 20_000;
        }

        long position(long timestamp) {
            return offsetMicros + (timestamp - firstTimestamp) * 1_000_000L / clockRate;
        }

        /** From now on the track's timestamps count from {@code timestamp}, which lies at {@code micros}. */
        void anchor(long timestamp, long micros) {
            firstTimestamp = timestamp;
            offsetMicros = micros;
            anchored = true;
        }

        /** Whether {@code timestamp}, arriving at {@code arrivalNanos}, is where the last report says the stream is. */
        boolean reportAgrees(long timestamp, long arrivalNanos, long toleranceMicros) {
            long expected = reportTimestamp + (arrivalNanos - reportArrivalNanos) / 1000 * clockRate / 1_000_000L;
            return Math.abs(timestamp - expected) <= toleranceMicros * clockRate / 1_000_000L;
        }

        /** The publisher's wall-clock time (epoch nanos) of its first frame, from the report. */
        long firstFrameNtpNanos() {
            return reportNtpNanos + (firstTimestamp - reportTimestamp) * 1_000_000_000L / clockRate;
        }

        void reset() {
            hasFirst = hasReport = anchored = hasLast = driftPending = false;
        }
    }

    /** How the current timeline was aligned, for logs and tests. */
    public enum Alignment { PENDING, SENDER_REPORTS, ARRIVAL_TIME }

    private final Map<MediaKind, Track> tracks = new EnumMap<>(MediaKind.class);
    private final long waitNanos;
    private final long jumpThresholdMicros;
    private final RebaseListener rebases;
    private final Consumer<TimedFrame> output;
    private final List<EncodedFrame> pending = new ArrayList<>();
    private Alignment alignment = Alignment.PENDING;
    private long resumeAtMicros;
    private long zeroNtpNanos;
    private long zeroArrivalNanos;
    private long lastEmittedMicros = -1;
    private long implausibleReports;
    private boolean restarted;

    /**
     * @param clockRates           RTP clock rate of each track the publication has
     * @param waitNanos            how long to wait for sender reports before aligning by arrival time
     * @param jumpThresholdMicros  a step between two frames of a track beyond this is a jump, not media
     */
    public AvSync(Map<MediaKind, Integer> clockRates, long waitNanos, long jumpThresholdMicros, RebaseListener rebases,
                  Consumer<TimedFrame> output) {
        if (jumpThresholdMicros <= 0) throw new IllegalArgumentException("jump threshold must be positive");
        clockRates.forEach((k, rate) -> tracks.put(k, new Track(rate)));
        this.waitNanos = waitNanos;
        this.jumpThresholdMicros = jumpThresholdMicros;
        this.rebases = rebases;
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
        t.reportArrivalNanos = nowNanos;
        if (alignment == Alignment.PENDING) tryAlign(nowNanos, false);
        else checkDrift(t);
    }

    /**
     * A report that agrees with the track's media but puts it more than the threshold away from where the timeline
     * has it: the track's clock ran at another rate than it claims (or jumped, and the report came after the frames
     * were placed by arrival). The next frame is re-anchored on the reports.
     */
    private void checkDrift(Track t) {
        if (alignment != Alignment.SENDER_REPORTS || !t.anchored || !t.hasLast) return;
        if (!t.reportAgrees(t.lastTimestamp, t.lastArrival, jumpThresholdMicros)) return;
        long byReport = resumeAtMicros + (t.reportNtpNanos - zeroNtpNanos) / 1000;
        if (Math.abs(t.position(t.reportTimestamp) - byReport) > jumpThresholdMicros) t.driftPending = true;
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
        restarted = lastEmittedMicros >= 0;
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
                t.anchor(t.firstTimestamp, resumeAtMicros + rel / 1000);
                zeroArrivalNanos = Math.min(zeroArrivalNanos, t.firstArrival - rel);
            }
            alignment = Alignment.SENDER_REPORTS;
        } else {
            zeroArrivalNanos = earliestArrival;
            for (Track t : tracks.values()) {
                if (!t.hasFirst) continue;
                t.anchor(t.firstTimestamp, resumeAtMicros + (t.firstArrival - earliestArrival) / 1000);
            }
            alignment = Alignment.ARRIVAL_TIME;
        }
        if (restarted) {
            // A reconnected publisher: its streams have new timestamp bases, continued after the last frame.
            for (Map.Entry<MediaKind, Track> e : tracks.entrySet()) {
                Track t = e.getValue();
                if (t.anchored) rebases.onRebase(e.getKey(), TimestampCorrection.NEW_TIMESTAMP_BASE, resumeAtMicros, t.offsetMicros);
            }
            restarted = false;
        }
        List<EncodedFrame> held = List.copyOf(pending);
        pending.clear();
        for (EncodedFrame f : held) emit(tracks.get(f.kind()), f);
    }

    /** A track whose first frame came after the timeline was aligned. */
    private void anchorLate(Track t) {
        if (alignment == Alignment.SENDER_REPORTS && t.hasReport) {
            t.anchor(t.firstTimestamp, resumeAtMicros + (t.firstFrameNtpNanos() - zeroNtpNanos) / 1000);
        } else {
            t.anchor(t.firstTimestamp, resumeAtMicros + (t.firstArrival - zeroArrivalNanos) / 1000);
        }
    }

    private void emit(Track t, EncodedFrame f) {
        long pts = t.position(f.rtpTimestamp());
        if (t.hasLast) pts = rebaseIfJumped(t, f, pts);
        if (pts < 0) return; // before the timeline's start (a frame older than the first of the other track)
        if (t.hasLast && pts > t.lastPts && pts - t.lastPts <= jumpThresholdMicros) t.stepMicros = pts - t.lastPts;
        t.hasLast = true;
        t.lastPts = pts;
        t.lastTimestamp = f.rtpTimestamp();
        t.lastArrival = f.arrivalNanos();
        lastEmittedMicros = Math.max(lastEmittedMicros, pts);
        output.accept(new TimedFrame(f, pts));
    }

    /** The frame's place after a jump (or drift) of its track's clock: where the common clock puts it. */
    private long rebaseIfJumped(Track t, EncodedFrame f, long pts) {
        long step = pts - t.lastPts;
        TimestampCorrection reason;
        if (t.driftPending) reason = TimestampCorrection.DRIFT;
        else if (step > jumpThresholdMicros) reason = TimestampCorrection.JUMP_FORWARD;
        else if (step < -jumpThresholdMicros) reason = TimestampCorrection.JUMP_BACKWARD;
        else return pts;
        t.driftPending = false;
        long target = commonClockMicros(t, f);
        if (Math.abs(target - pts) <= jumpThresholdMicros) return pts; // the clock agrees: a gap in the media, not a jump
        t.anchor(f.rtpTimestamp(), target);
        rebases.onRebase(kindOf(t), reason, pts, target);
        return target;
    }

    /**
     * Where the common clock puts a frame: by its track's last sender report if that report agrees with the media
     * (it was made on the clock the frame's timestamp is on), else one arrival-time interval after the track's
     * previous frame (at least one frame's duration, as frames can arrive in a burst).
     */
    private long commonClockMicros(Track t, EncodedFrame f) {
        if (alignment == Alignment.SENDER_REPORTS && t.hasReport && t.reportAgrees(f.rtpTimestamp(), f.arrivalNanos(), jumpThresholdMicros)) {
            long ntp = t.reportNtpNanos + (f.rtpTimestamp() - t.reportTimestamp) * 1_000_000_000L / t.clockRate;
            return resumeAtMicros + (ntp - zeroNtpNanos) / 1000;
        }
        return t.lastPts + Math.max(t.stepMicros, (f.arrivalNanos() - t.lastArrival) / 1000);
    }

    private MediaKind kindOf(Track t) {
        for (Map.Entry<MediaKind, Track> e : tracks.entrySet()) if (e.getValue() == t) return e.getKey();
        throw new IllegalStateException("unknown track");
    }

    public Alignment alignment() { return alignment; }

    /** Where the timeline's zero lies on this machine's monotonic clock (for wall-clock times of segments). */
    public long zeroArrivalNanos() { return zeroArrivalNanos; }

    public long resumeAtMicros() { return resumeAtMicros; }

    public long lastEmittedMicros() { return lastEmittedMicros; }

    public long implausibleReports() { return implausibleReports; }
}
