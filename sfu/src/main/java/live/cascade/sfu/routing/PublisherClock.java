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
 *
 * <p>A track whose publisher has not sent its first plausible SR yet gets no SR to viewers for up to
 * {@link #FIRST_REPORT_WAIT_NANOS} after the publisher attached ({@link #NO_REPORT}). A viewer's A/V sync fits a line
 * through every SR it receives on a stream (libwebrtc keeps the last 20), so an SR guessed from the last packet's send
 * time, which puts that packet's capture 20–40 ms late (packetisation, encoding, the path), stays in its mapping for
 * the whole session and skews audio against video by a varying part of that. Chromium sends its first audio SR 1.5–3 s
 * into a call (its audio reports come every 5 s, video's every 1 s), so without the wait every viewer of a Chromium
 * publisher learnt two guessed audio SRs first (issue 16: the viewer's video held above its jitter minimum by A/V sync
 * in 22 of 31 node rounds, 6 of 20 with the wait). A publisher that never sends a usable SR gets the guess after the
 * wait, as before.
 */
final class PublisherClock {
    /** {@link #senderReportTimestamp}: send no SR for this track now. */
    static final long NO_REPORT = -1;
    /** How long a track waits for its publisher's first SR: Chromium's first audio SR came 1.7 and 2.1 s after its first audio packet. */
    static final long FIRST_REPORT_WAIT_NANOS = 6_000_000_000L;
    private final long clockAnchorNanos;
    private final long epochAnchorNanos;
    /** Our epoch nanos minus the publisher's (from its first SR). */
    private boolean publisherClockKnown;
    private long publisherClockOffsetNanos;
    private long attachedNanos;

    PublisherClock(MediaClock clock) {
        this.clockAnchorNanos = clock.nanoTime();
        this.epochAnchorNanos = clock.epochMillis() * 1_000_000L;
    }

    /** A new publisher, attached at {@code nowNanos}: its clock is unknown until its first SR. */
    void reset(long nowNanos) {
        publisherClockKnown = false;
        attachedNanos = nowNanos;
    }

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
     * rewrite; {@link #NO_REPORT} while that SR may still come (see above); otherwise it is extrapolated from the last
     * packet sent.
     */
    long senderReportTimestamp(PublisherTrack t, RtpRewriter r, boolean publisherAttached, long now) {
        if (publisherAttached && publisherClockKnown && t.syncValid && r.isAnchored() && r.inputSsrc() == t.ssrc) {
            long srAtOurClock = t.syncPublisherEpochNanos + publisherClockOffsetNanos;
            long inTs = t.syncRtpTimestamp + Timestamps.fromNanos(epochNanosAt(now) - srAtOurClock, t.clockRate);
            return r.mapTimestamp(inTs & Timestamps.MASK);
        }
        if (publisherAttached && now - attachedNanos < FIRST_REPORT_WAIT_NANOS) return NO_REPORT;
        return r.extrapolateTimestamp(now);
    }

    long epochNanosAt(long monotonicNanos) { return epochAnchorNanos + (monotonicNanos - clockAnchorNanos); }

    long ntpAt(long monotonicNanos) { return NtpTime.fromEpochNanos(epochNanosAt(monotonicNanos)); }
}
