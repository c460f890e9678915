package live.cascade.bench;

import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.transport.MediaTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * (a) Ingress: what the worker does with one publisher datagram before routing it. The datagram is copied from the
 * receive buffer into the worker's scratch array (as {@code UdpPacketHandler} does), SRTP-unprotected in place by the
 * transport's {@link SrtpSession} and its RTP header parsed. The same captured packet is decrypted every time, so the
 * receiving session runs without its replay window (a bitmap check of a few nanoseconds). Netty's own receive
 * (envelope and sender address per datagram) is not included.
 */
public class IngressBenchmark extends PacketPathBenchmark {
    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile suite;

    private SrtpSession receiver;
    private byte[] datagram;
    private final byte[] scratch = new byte[2048 + MediaTransport.SRTP_TAIL_ROOM];
    private final PacketBuffer rx = new PacketBuffer();
    private final RtpHeader header = new RtpHeader();

    @Setup(Level.Trial)
    public void setUp() {
        SrtpRuntime.initialize();
        SrtpSession[] pair = Streams.sessionPair(suite, 7, false);
        SrtpSession publisher = pair[0];
        receiver = pair[1];
        byte[] p = Streams.videoPacket(false);
        Streams.stamp(p, 4242, 90_000, 17);
        PacketBuffer b = new PacketBuffer().wrap(p, 0, Streams.videoLength());
        if (publisher.protectRtp(b) != SrtpStatus.OK) throw new IllegalStateException("protect");
        datagram = java.util.Arrays.copyOf(b.getBuffer(), b.getLength());
        if (decryptAndParse() != 4242) throw new IllegalStateException("round trip failed");
    }

    @TearDown(Level.Trial)
    public void tearDown() { cpu.report("decrypt " + suite); }

    @Benchmark
    public int decryptAndParse() {
        cpu.ops++;
        System.arraycopy(datagram, 0, scratch, 0, datagram.length);
        PacketBuffer p = rx.wrap(scratch, 0, datagram.length);
        try {
            if (receiver.unprotectRtp(p) != SrtpStatus.OK) return -1;
            if (header.parse(p.getBuffer(), p.getOffset(), p.getLength()) != RtpStatus.OK) return -2;
            return header.sequenceNumber();
        } finally {
            p.release();
        }
    }
}
