package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The worker's only inbound handler: classifies each datagram once by its first byte (RFC 7983) and hands it to
 * ICE-lite (STUN), or to the transport that owns the source address (DTLS, SRTP/SRTCP). Nothing propagates: every
 * datagram is released here, and every rejection is counted under a {@link DropReason}. ICE-TCP frames take the same
 * {@link #dispatch} once {@link IceTcpConnection} has cut them out of their stream.
 */
final class UdpPacketHandler extends ChannelInboundHandlerAdapter {
    private final MediaWorker worker;
    private final IceLiteResponder ice;

    UdpPacketHandler(MediaWorker worker) {
        this.worker = worker;
        this.ice = new IceLiteResponder(worker);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            worker.counters.drop(DropReason.NOT_STUN_DTLS_RTP);
            return;
        }
        worker.out.beginRead();
        worker.stamps.onDatagramRead();
        try {
            dispatch(packet.content(), packet.sender());
        } catch (RuntimeException e) {
            worker.counters.drop(DropReason.INTERNAL_ERROR);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        worker.out.endRead();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error concerns one datagram, never the socket: keep serving everyone else.
        worker.counters.increment(Counter.SOCKET_ERRORS);
    }

    /** Classifies and routes one packet; ICE-TCP frames come here too ({@link IceTcpConnection}), with their peer as sender. */
    void dispatch(ByteBuf content, InetSocketAddress sender) {
        int len = content.readableBytes();
        PacketCounters counters = worker.counters;
        counters.increment(Counter.RX_DATAGRAMS);
        counters.add(Counter.RX_BYTES, len);
        if (len == 0 || sender == null) {
            counters.drop(DropReason.NOT_STUN_DTLS_RTP);
            return;
        }
        int first = content.getUnsignedByte(content.readerIndex());
        switch (PacketClass.of(first)) {
            case STUN -> ice.handle(content, sender);
            case DTLS -> {
                PeerTransport transport = worker.transports.byAddress(sender);
                if (transport == null) {
                    counters.drop(DropReason.DTLS_UNKNOWN_PEER);
                } else {
                    counters.increment(Counter.DTLS_DATAGRAMS_IN);
                    transport.onDtls(content, sender);
                }
            }
            case RTP_RTCP -> media(content, sender, len);
            case OTHER -> counters.drop(DropReason.NOT_STUN_DTLS_RTP);
        }
    }

    private void media(ByteBuf content, InetSocketAddress sender, int len) {
        PeerTransport transport = worker.transports.byAddress(sender);
        if (transport == null) {
            worker.counters.drop(DropReason.RTP_UNKNOWN_PEER);
            return;
        }
        boolean rtcp = len >= 2 && PacketClass.isRtcp(content.getUnsignedByte(content.readerIndex() + 1));
        if (len < (rtcp ? 8 : 12)) {
            worker.counters.drop(DropReason.RTP_TOO_SHORT);
            return;
        }
        if (len > MediaWorker.MAX_DATAGRAM) {
            worker.counters.drop(DropReason.OVERSIZED);
            return;
        }
        byte[] scratch = worker.rxScratch;
        content.getBytes(content.readerIndex(), scratch, 0, len);
        transport.onSrtp(scratch, len, rtcp);
    }
}
