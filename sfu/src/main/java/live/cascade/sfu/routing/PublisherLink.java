package live.cascade.sfu.routing;

import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.transport.MediaTransport;

/**
 * The RTCP path back to the attached publisher: its transport (null while none is attached), our SSRC and the one
 * buffer every report, feedback and keyframe request to it is written into before it is sent.
 */
final class PublisherLink {
    final long localSsrc;
    final byte[] buffer = new byte[1500 + MediaTransport.SRTP_TAIL_ROOM];
    private final DropCounters drops;
    private MediaTransport transport;

    PublisherLink(long localSsrc, DropCounters drops) {
        this.localSsrc = localSsrc;
        this.drops = drops;
    }

    void attach(MediaTransport publisher) { transport = publisher; }

    void detach() { transport = null; }

    boolean attached() { return transport != null; }

    /** Whether a keyframe request sent now could reach an encoder (false for RTMP/SRT ingest). */
    boolean answersKeyframeRequests() {
        MediaTransport p = transport;
        return p != null && p.carriesFeedback();
    }

    /** Sends the first {@code len} bytes of {@link #buffer}; a transport that throws costs the packet, counted. */
    void send(int len) {
        MediaTransport p = transport;
        if (p == null) return;
        try {
            p.sendRtcp(buffer, 0, len);
        } catch (RuntimeException e) {
            drops.add(RouterDrop.SEND_FAILED);
        }
    }
}
