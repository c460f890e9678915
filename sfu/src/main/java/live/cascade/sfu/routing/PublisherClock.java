package live.cascade.sfu.routing;

import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtcp.RtcpSenderReport;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.Timestamps;

/**
 * Clock mapping: our monotonic clock to wall-clock (epoch, NTP) time, and the publisher's wall clock to ours, learnt
 * from its first sender report. One offset for all its tracks keeps audio and video in sync at the viewers, whose
 * sender reports take their RTP timestamps from here.
 */
final class PublisherClock {
    private final long clockAnchorNanos;
    private final long epochAnchorNanos;
    /** Our epoch nanos minus the publisher's (from its first SR). */
    private boolean publisherClockKnown;
    private long publisherClockOffsetNanos;

    PublisherClock(MediaClock clock) {
        this.clockAnchorNanos = clock.nanoTime();
        this.epochAnchorNanos = clock.epochMillis() * 1_000_000L;
    }

    /** A new publisher: its clock is unknown until its first SR. */
    void reset() { publisherClockKnown = false; }

    /** A publisher SR for {@code t}: learns the clock offset (once) and, when plausible, the track's RTP↔NTP pair. */
    void onSenderReport(PublisherTrack t, RtcpSenderReport sr, long now) {
        long ntp = sr.ntpTimestamp();
        t.receive.onSenderReport(ntp, now);
        long publisherEpochNanos = NtpTime.toEpochNanos(ntp);
        if (!publisherClockKnown) {
            publisherClockOffsetNanos = epochNanosAt(now) - publisherEpochNanos;
            publisherClockKnown = true;
        }
        // Use the SR's timestamp only when it is plausible for the stream: OBS's first SR carries 0xFFFFFFFF.
        long srTimestamp = sr.rtpTimestamp();
        if (t.receive.hasPackets()
                && Math.abs(Timestamps.diff(srTimestamp, t.receive.highestTimestamp())) <= 10L * t.clockRate) {
            t.syncValid = true;
            t.syncPublisherEpochNanos = publisherEpochNanos;
            t.syncRtpTimestamp = srTimestamp;
        }
    }

    /**
     * The RTP timestamp a viewer's SR carries for {@code now} on a track fed by {@code t} through {@code r}. With a
     * plausible publisher SR, it is derived from the publisher's own NTP↔RTP relation mapped through that viewer's
     * rewrite; otherwise it is extrapolated from the last packet sent.
     */
    long senderReportTimestamp(PublisherTrack t, RtpRewriter r, boolean publisherAttached, long now) {
        if (publisherAttached && publisherClockKnown && t.syncValid && r.isAnchored() && r.inputSsrc() == t.ssrc) {
            long srAtOurClock = t.syncPublisherEpochNanos + publisherClockOffsetNanos;
            long inTs = t.syncRtpTimestamp + Timestamps.fromNanos(epochNanosAt(now) - srAtOurClock, t.clockRate);
            return r.mapTimestamp(inTs & Timestamps.MASK);
        }
        return r.extrapolateTimestamp(now);
    }

    long epochNanosAt(long monotonicNanos) { return epochAnchorNanos + (monotonicNanos - clockAnchorNanos); }

    long ntpAt(long monotonicNanos) { return NtpTime.fromEpochNanos(epochNanosAt(monotonicNanos)); }
}
