package live.cascade.sfu.net;

import java.nio.ByteBuffer;

/** Plain RTP/RTCP packets for tests. */
public final class RtpPackets {
    private RtpPackets() {}

    public static byte[] rtp(int ssrc, int seq, int payloadType, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + payloadLength);
        b.put((byte) 0x80).put((byte) payloadType).putShort((short) seq).putInt(seq * 3000).putInt(ssrc);
        for (int i = 0; i < payloadLength; i++) b.put((byte) (seq + i));
        return b.array();
    }

    /** A receiver report with one (zeroed) report block. */
    public static byte[] receiverReport(int senderSsrc) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(senderSsrc);
        b.putInt(0x11223344).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0);
        return b.array();
    }
}
