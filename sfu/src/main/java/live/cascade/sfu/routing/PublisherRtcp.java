package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.RtcpSenderReport;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWalker;

/**
 * The publisher's RTCP: its sender reports go to the sinks (as sent) and to the {@link PublisherClock}. A sendonly
 * publisher's RR, SDES, BYE and feedback need no action yet: teardown comes from signaling.
 */
final class PublisherRtcp {
    private final PublisherTrack[] tracks;
    private final PublisherClock clock;
    private final FanOut fanOut;
    private final DropCounters drops;
    private final MediaClock time;
    private final RtcpWalker walker = new RtcpWalker();
    private final RtcpSenderReport senderReport = new RtcpSenderReport();

    PublisherRtcp(PublisherTrack[] tracks, PublisherClock clock, FanOut fanOut, DropCounters drops, MediaClock time) {
        this.tracks = tracks;
        this.clock = clock;
        this.fanOut = fanOut;
        this.drops = drops;
        this.time = time;
    }

    void onRtcp(byte[] buf, int off, int len) {
        if (walker.validate(buf, off, len) != RtcpStatus.OK) {
            drops.add(RouterDrop.MALFORMED_RTCP);
            return;
        }
        long now = time.nanoTime();
        walker.reset(buf, off, len);
        while (walker.next()) {
            if (walker.packetType() != RtcpTypes.SR) continue;
            if (senderReport.parse(buf, walker.packetOffset(), walker.contentLength()) != RtcpStatus.OK) {
                drops.add(RouterDrop.MALFORMED_RTCP);
                continue;
            }
            PublisherTrack t = trackBySsrc(senderReport.senderSsrc());
            if (t == null) continue;
            fanOut.senderReport(t, senderReport.ntpTimestamp(), senderReport.rtpTimestamp());
            clock.onSenderReport(t, senderReport, now);
        }
    }

    private PublisherTrack trackBySsrc(long ssrc) {
        for (PublisherTrack t : tracks) if (t.ssrcKnown && t.ssrc == ssrc) return t;
        return null;
    }
}
