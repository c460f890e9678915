package live.cascade.hls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.testkit.RtpPacketBuilder;

/**
 * Packetizes coded frames into RTP for tests, the way WebRTC senders do (and independently of the depacketizers under
 * test): H.264 as single NAL units, FU-A fragments and (optionally) STAP-A parameter sets; VP8 with a one-byte payload
 * descriptor; Opus one frame per packet.
 */
public final class RtpPacketizer {
    public static final int MTU = 1200;

    private final int payloadType;
    private final long ssrc;
    private int seq;
    private final long timestampBase;

    public RtpPacketizer(int payloadType, long ssrc, int firstSeq, long timestampBase) {
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.seq = firstSeq;
        this.timestampBase = timestampBase;
    }

    public int nextSeq() { return seq & 0xFFFF; }

    public long rtpTimestamp(long ticks) { return (timestampBase + ticks) & 0xFFFF_FFFFL; }

    /** An RTP packet. */
    public byte[] packet(long ticks, boolean marker, byte[] payload) {
        return RtpPacketBuilder.rtp().pt(payloadType).seq(seq++).ts(rtpTimestamp(ticks)).ssrc(ssrc).marker(marker)
                .payload(payload).build();
    }

    /**
     * An H.264 access unit (Annex B) as RTP packets. {@code parameterSets} (SPS, PPS without start codes) go in front
     * of an IDR: in one STAP-A, or, {@code obsStyle}, each in a packet of its own as OBS sends them.
     */
    public List<byte[]> h264(byte[] annexB, long ticks, byte[][] parameterSets, boolean obsStyle) {
        List<byte[]> nals = splitAnnexB(annexB);
        boolean idr = nals.stream().anyMatch(n -> (n[0] & 0x1F) == 5);
        boolean hasSps = nals.stream().anyMatch(n -> (n[0] & 0x1F) == 7);
        List<byte[]> payloads = new ArrayList<>();
        if (idr && !hasSps && parameterSets != null) {
            if (obsStyle) {
                for (byte[] ps : parameterSets) payloads.add(ps);
            } else {
                ByteArrayOutputStream stap = new ByteArrayOutputStream();
                stap.write(24 | (parameterSets[0][0] & 0x60));
                for (byte[] ps : parameterSets) {
                    stap.write(ps.length >>> 8);
                    stap.write(ps.length);
                    stap.writeBytes(ps);
                }
                payloads.add(stap.toByteArray());
            }
        }
        for (byte[] nal : nals) {
            int type = nal[0] & 0x1F;
            if (type == 9) continue; // access unit delimiters are not sent over RTP
            if (nal.length <= MTU) {
                payloads.add(nal);
                continue;
            }
            int indicator = (nal[0] & 0xE0) | 28;
            int pos = 1;
            while (pos < nal.length) {
                int n = Math.min(MTU - 2, nal.length - pos);
                byte[] fu = new byte[2 + n];
                fu[0] = (byte) indicator;
                fu[1] = (byte) ((pos == 1 ? 0x80 : 0) | (pos + n == nal.length ? 0x40 : 0) | type);
                System.arraycopy(nal, pos, fu, 2, n);
                payloads.add(fu);
                pos += n;
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) out.add(packet(ticks, i == payloads.size() - 1, payloads.get(i)));
        return out;
    }

    /** A VP8 frame as RTP packets (payload descriptor: X=0, S on the first, partition 0). */
    public List<byte[]> vp8(byte[] frame, long ticks) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < frame.length) {
            int n = Math.min(MTU - 1, frame.length - pos);
            byte[] payload = new byte[1 + n];
            payload[0] = (byte) (pos == 0 ? 0x10 : 0x00);
            System.arraycopy(frame, pos, payload, 1, n);
            pos += n;
            out.add(packet(ticks, pos == frame.length, payload));
        }
        return out;
    }

    public static List<byte[]> splitAnnexB(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int start = -1;
        while (i + 2 < b.length) {
            if (b[i] == 0 && b[i + 1] == 0 && (b[i + 2] == 1 || (i + 3 < b.length && b[i + 2] == 0 && b[i + 3] == 1))) {
                int sc = b[i + 2] == 1 ? 3 : 4;
                if (start >= 0) out.add(java.util.Arrays.copyOfRange(b, start, trimZeros(b, start, i)));
                start = i + sc;
                i += sc;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < b.length) out.add(java.util.Arrays.copyOfRange(b, start, b.length));
        return out;
    }

    private static int trimZeros(byte[] b, int start, int end) {
        while (end > start && b[end - 1] == 0) end--;
        return end;
    }
}
