package live.cascade.sfu.net;

import java.net.InetSocketAddress;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpPolicies;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;

/**
 * The send path of one transport: protect a plain RTP/RTCP packet in place (tag into the tail room) and queue it
 * toward the peer in a recycled datagram, so a send allocates nothing. Every refusal is counted. Worker thread only.
 */
final class SrtpSender {
    /**
     * Most recycled datagrams one transport keeps in flight; a flush normally empties them, a congested socket
     * overflows into plain envelopes ({@link Counter#TX_POOL_MISSES}).
     */
    private static final int EGRESS_POOL_SIZE = 64;

    private final MediaWorker worker;
    /** Recycled datagrams to the current route (replaced if the route changes). */
    private DatagramPool egress;

    SrtpSender(MediaWorker worker) {
        this.worker = worker;
    }

    /** @param session the transport's SRTP session, null until secure; {@code to} its route, null when it has none */
    void send(SrtpSession session, InetSocketAddress to, byte[] buf, int off, int len, boolean rtcp) {
        PacketCounters counters = worker.counters;
        if (session == null) {
            counters.drop(DropReason.TX_NOT_SECURE);
            return;
        }
        if (len < (rtcp ? 8 : 12) || off < 0 || off + len > buf.length) {
            counters.drop(DropReason.TX_MALFORMED);
            return;
        }
        int overhead = rtcp ? SrtpPolicies.rtcpOverhead(session.profile()) : SrtpPolicies.rtpOverhead(session.profile());
        if (buf.length - off - len < overhead) {
            counters.drop(DropReason.TX_NO_TAIL_ROOM);
            return;
        }
        if (to == null) {
            counters.drop(DropReason.TX_NOT_SECURE);
            return;
        }
        DatagramWriter out = worker.out;
        IceTcpConnection tcp = out.tcpRoute(to);
        if (tcp == null && !out.writable()) {
            counters.drop(DropReason.TX_CHANNEL_FULL);
            return;
        }
        PacketBuffer packet = worker.txPacket.wrap(buf, off, len);
        try {
            SrtpStatus status = rtcp ? session.protectRtcp(packet) : session.protectRtp(packet);
            if (status != SrtpStatus.OK) {
                counters.drop(DropReason.TX_PROTECT_FAILED);
                return;
            }
            if (tcp != null) {
                if (tcp.send(packet.getBuffer(), packet.getOffset(), packet.getLength())) {
                    counters.increment(rtcp ? Counter.RTCP_SENT : Counter.RTP_SENT);
                }
                return;
            }
            DatagramPool pool = egress;
            if (pool == null || pool.recipient() != to) egress = pool = new DatagramPool(to, EGRESS_POOL_SIZE);
            long missesBefore = pool.misses();
            out.write(pool.take(out.alloc(), packet.getBuffer(), packet.getOffset(), packet.getLength()));
            if (pool.misses() != missesBefore) counters.increment(Counter.TX_POOL_MISSES);
            counters.increment(rtcp ? Counter.RTCP_SENT : Counter.RTP_SENT);
        } finally {
            packet.release();
        }
    }
}
