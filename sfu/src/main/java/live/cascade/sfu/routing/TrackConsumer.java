package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpRewriter;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One viewer's copy of one publisher track: its own buffer (with SRTP tail room), rewriter and counters. A video
 * consumer waits for a keyframe before forwarding anything, after joining and after a publisher reconnect.
 */
final class TrackConsumer {
    final ViewerConsumer viewer;
    final PublisherTrack source;
    final TrackParameters params;
    final RtpRewriter rewriter;
    final byte[] buffer;

    boolean waitingForKeyframe;
    long packetsSent;
    long bytesSent;
    /** Payload octets, as the SR octet count wants (RFC 3550 §6.4.1). */
    long payloadOctetsSent;

    // From the viewer's receiver reports and feedback.
    int fractionLost;
    long cumulativeLost;
    long jitter;
    long roundTripNanos = -1;
    long plisReceived;
    long firsReceived;
    long nackedPackets;

    TrackConsumer(ViewerConsumer viewer, PublisherTrack source, TrackParameters params, RtpRewriter rewriter,
                  int maxPacketSize) {
        this.viewer = viewer;
        this.source = source;
        this.params = params;
        this.rewriter = rewriter;
        this.buffer = new byte[maxPacketSize + MediaTransport.SRTP_TAIL_ROOM];
        this.rewriter.setInputExtensions(source.extensions);
        this.waitingForKeyframe = source.kind == MediaKind.VIDEO;
    }

    /** The hot path: called once per publisher packet of {@link #source}. */
    void forward(RtpHeader packet, boolean keyframeStart, long nowNanos, DropCounters drops) {
        if (waitingForKeyframe) {
            if (!keyframeStart) {
                drops.add(DropReason.NOT_A_KEYFRAME);
                return;
            }
            waitingForKeyframe = false;
        }
        if (!rewriter.rewrite(packet, buffer, 0, nowNanos)) {
            drops.add(DropReason.STALE_SEQUENCE);
            return;
        }
        int len = packet.length();
        packetsSent++;
        bytesSent += len;
        payloadOctetsSent += packet.payloadLength();
        viewer.sendRtp(buffer, len);
    }

    /** A new publisher stream feeds the source: continue the output from where it stopped. */
    void onNewSource() {
        rewriter.setInputExtensions(source.extensions);
        rewriter.rebase();
        if (source.kind == MediaKind.VIDEO) waitingForKeyframe = true;
    }

    ViewerTrackStats stats() {
        return new ViewerTrackStats(params.kind(), params.mid(), params.ssrc(), packetsSent, bytesSent,
                waitingForKeyframe, fractionLost, cumulativeLost, jitter, roundTripNanos, plisReceived,
                firsReceived, nackedPackets);
    }
}
