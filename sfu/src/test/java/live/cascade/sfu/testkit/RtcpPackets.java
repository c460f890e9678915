package live.cascade.sfu.testkit;

import java.nio.ByteBuffer;

/**
 * Builds the RTCP packets tests send, byte by byte and independently of the production {@code RtcpWriter}: sender and
 * receiver reports, generic NACK and PLI. Each method returns one packet; concatenate them for a compound packet.
 */
public final class RtcpPackets {
    private static final int SR = 200;
    private static final int RR = 201;
    private static final int RTPFB = 205;
    private static final int PSFB = 206;

    private RtcpPackets() {}

    /** A receiver report from {@code senderSsrc} with one zeroed report block about SSRC 0x11223344. */
    public static byte[] receiverReport(long senderSsrc) {
        return receiverReport(senderSsrc, 0x11223344L, 0, 0, 0, 0);
    }

    /**
     * A receiver report with one block about {@code mediaSsrc}: cumulative loss, extended highest sequence number,
     * jitter; LSR and DLSR zero.
     */
    public static byte[] receiverReport(long senderSsrc, long mediaSsrc, int fractionLost, int cumulativeLost,
                                        long extendedHighestSeq, long jitter) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put((byte) 0x81).put((byte) RR).putShort((short) 7).putInt((int) senderSsrc);
        b.putInt((int) mediaSsrc).putInt((fractionLost & 0xFF) << 24 | (cumulativeLost & 0xFF_FFFF))
                .putInt((int) extendedHighestSeq).putInt((int) jitter).putInt(0).putInt(0);
        return b.array();
    }

    /** A sender report without report blocks: the NTP time ({@code NtpTime} format) that {@code rtpTimestamp} maps to. */
    public static byte[] senderReport(long ssrc, long ntp, long rtpTimestamp, long packetCount, long octetCount) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x80).put((byte) SR).putShort((short) 6).putInt((int) ssrc);
        b.putLong(ntp).putInt((int) rtpTimestamp).putInt((int) packetCount).putInt((int) octetCount);
        return b.array();
    }

    /** A generic NACK (RFC 4585 §6.2.1) for {@code seqs}, packed into PID/BLP pairs in the order given. */
    public static byte[] nack(long senderSsrc, long mediaSsrc, int... seqs) {
        int[] pid = new int[seqs.length];
        int[] blp = new int[seqs.length];
        int pairs = 0;
        for (int seq : seqs) {
            int s = seq & 0xFFFF;
            int diff = pairs == 0 ? -1 : (s - pid[pairs - 1]) & 0xFFFF;
            if (diff >= 1 && diff <= 16) {
                blp[pairs - 1] |= 1 << (diff - 1);
            } else if (diff != 0) {
                pid[pairs++] = s;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * pairs);
        b.put((byte) (0x80 | 1)).put((byte) RTPFB).putShort((short) (2 + pairs)).putInt((int) senderSsrc).putInt((int) mediaSsrc);
        for (int i = 0; i < pairs; i++) b.putShort((short) pid[i]).putShort((short) blp[i]);
        return b.array();
    }

    /** A picture loss indication (RFC 4585 §6.3.1). */
    public static byte[] pli(long senderSsrc, long mediaSsrc) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put((byte) (0x80 | 1)).put((byte) PSFB).putShort((short) 2).putInt((int) senderSsrc).putInt((int) mediaSsrc);
        return b.array();
    }

    /**
     * Any RTCP packet: header with {@code count} (RC or FMT) and {@code packetType}, the sender SSRC, then
     * {@code body} as given (a multiple of four bytes), e.g. random bytes for SRTCP tests.
     */
    public static byte[] packet(int count, int packetType, long ssrc, byte[] body) {
        if (body.length % 4 != 0) throw new IllegalArgumentException("an RTCP body is whole 32-bit words: " + body.length);
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.put((byte) (0x80 | count)).put((byte) packetType).putShort((short) (1 + body.length / 4)).putInt((int) ssrc).put(body);
        return b.array();
    }

    /** Writes a BYE for {@code ssrc}, without a reason, at {@code off} of {@code buf}; returns its length, 8. */
    public static int bye(byte[] buf, int off, long ssrc) {
        byte[] p = packet(1, 203, ssrc, new byte[0]);
        System.arraycopy(p, 0, buf, off, p.length);
        return p.length;
    }

    /** Concatenates packets into one compound RTCP datagram. */
    public static byte[] compound(byte[]... packets) {
        int n = 0;
        for (byte[] p : packets) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : packets) b.put(p);
        return b.array();
    }
}
