package live.cascade.bench;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import live.cascade.sfu.net.DatagramPool;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.transport.MediaTransport;

/**
 * The user-space part of a transport's send path ({@code SrtpSender.send} in sfu.net) for a benchmark: protect in
 * place with the transport's SRTP session, copy into a recycled datagram of the transport's {@link DatagramPool} and
 * write it to a Netty channel. What it leaves out is the transport's state checks (a few field reads) and the
 * kernel's send, which the benchmark's embedded channel replaces with a queue.
 */
final class SrtpEgressTransport implements MediaTransport {
    private final SrtpSession srtp;
    private final Channel channel;
    private final DatagramPool pool;
    private final PacketBuffer packet = new PacketBuffer();
    long sent;

    /** @param srtp null to send without protection (the benchmark's baseline) */
    SrtpEgressTransport(SrtpSession srtp, Channel channel, InetSocketAddress to) {
        this.srtp = srtp;
        this.channel = channel;
        this.pool = new DatagramPool(to, 64);
    }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        send(buf, off, len, false);
    }

    @Override
    public void sendRtcp(byte[] buf, int off, int len) {
        send(buf, off, len, true);
    }

    private void send(byte[] buf, int off, int len, boolean rtcp) {
        PacketBuffer p = packet.wrap(buf, off, len);
        try {
            if (srtp != null) {
                SrtpStatus s = rtcp ? srtp.protectRtcp(p) : srtp.protectRtp(p);
                if (s != SrtpStatus.OK) throw new IllegalStateException("protect failed: " + s);
            }
            channel.write(pool.take(channel.alloc(), p.getBuffer(), p.getOffset(), p.getLength()), channel.voidPromise());
            sent++;
        } finally {
            p.release();
        }
    }

    long poolMisses() { return pool.misses(); }
}
