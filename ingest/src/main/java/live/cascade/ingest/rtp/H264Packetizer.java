package live.cascade.ingest.rtp;

import java.util.List;

/**
 * H.264 access units from FLV (length-prefixed NAL units, AVCC) into RTP per RFC 6184, packetization-mode 1: a NAL
 * unit that fits the MTU goes in a packet of its own, a larger one is cut into FU-A fragments. A keyframe that does
 * not carry its SPS and PPS in band gets the sequence header's in front, so a viewer (or the GOP cache) starting at it
 * can decode. The marker bit is set on the access unit's last packet.
 *
 * <p>Filler data NAL units (type 12) are left out: x264 in CBR mode, OBS's default for streaming, pads every access
 * unit up to the bitrate with them, and a decoder discards them (H.264 §7.4.2.7), so WebRTC viewers would download
 * padding. OBS 29 at 800 kbit/s CBR on a still scene sent 98 % of its video bytes as filler.
 */
public final class H264Packetizer {
    private static final int FU_A = 28;
    private static final int FILLER = 12;
    /** What {@link #packetize} returns for an access unit of filler data alone: read, and nothing in it to send. */
    public static final int FILLER_ONLY = -1;
    private final RtpWriter rtp;
    private final int maxPayload;

    /** @param mtu largest RTP packet (header included) this makes, e.g. 1200 */
    public H264Packetizer(long ssrc, int payloadType, int firstSequence, int mtu) {
        this.rtp = new RtpWriter(ssrc, payloadType, firstSequence);
        this.maxPayload = mtu - RtpWriter.HEADER;
        if (maxPayload < 100) throw new IllegalArgumentException("mtu " + mtu);
    }

    /**
     * Packetizes one access unit.
     *
     * @param data       the FLV tag body
     * @param off        where its NAL units start
     * @param lengthSize bytes of each NAL unit's length prefix (1, 2 or 4)
     * @param parameterSets SPS and PPS to put before a keyframe that lacks them (empty: none)
     * @return NAL units written (0 when the data held none that could be read; {@link #FILLER_ONLY} when all it held
     *         was filler data)
     */
    public int packetize(byte[] data, int off, int lengthSize, long timestamp90k, boolean keyframe,
                         List<byte[]> parameterSets, RtpBatch out) {
        // First pass: find the last NAL unit sent (for the marker) and whether SPS/PPS are in band.
        int last = -1;
        int readable = 0;
        boolean inBandSps = false;
        boolean idr = false;
        for (int p = off; ; ) {
            int n = nalLength(data, p, lengthSize);
            if (n < 0) break;
            readable++;
            int type = data[p + lengthSize] & 0x1F;
            if (type == 7) inBandSps = true;
            if (type == 5) idr = true;
            if (type != FILLER) last = p;
            p += lengthSize + n;
        }
        // Nothing but filler: nothing to send, yet not malformed (the caller counts 0 as a broken tag).
        if (last < 0) return readable > 0 ? FILLER_ONLY : 0;
        int count = 0;
        if ((keyframe || idr) && !inBandSps) {
            for (byte[] ps : parameterSets) {
                nal(ps, 0, ps.length, timestamp90k, false, out);
                count++;
            }
        }
        for (int p = off; ; ) {
            int n = nalLength(data, p, lengthSize);
            if (n < 0) break;
            if ((data[p + lengthSize] & 0x1F) != FILLER) {
                nal(data, p + lengthSize, n, timestamp90k, p == last, out);
                count++;
            }
            p += lengthSize + n;
        }
        return count;
    }

    /** RTP packets and payload octets sent so far (for sender reports). */
    public long packets() { return rtp.packets; }

    public long octets() { return rtp.octets; }

    /** The NAL unit's length at {@code p}, or -1 when there is none there (end of data, or a length past it). */
    private static int nalLength(byte[] d, int p, int lengthSize) {
        if (p + lengthSize >= d.length) return -1;
        int n = 0;
        for (int i = 0; i < lengthSize; i++) n = (n << 8) | (d[p + i] & 0xFF);
        if (n <= 0 || p + lengthSize + n > d.length) return -1;
        return n;
    }

    private void nal(byte[] d, int off, int len, long ts, boolean marker, RtpBatch out) {
        if (len <= maxPayload) {
            byte[] b = out.reserve(RtpWriter.HEADER + len);
            int o = out.packetOffset();
            rtp.header(b, o, ts, marker);
            System.arraycopy(d, off, b, o + RtpWriter.HEADER, len);
            out.commit(RtpWriter.HEADER + len);
            rtp.octets += len;
            return;
        }
        int header = d[off] & 0xFF;
        int indicator = (header & 0xE0) | FU_A;
        int type = header & 0x1F;
        int p = off + 1;
        int end = off + len;
        boolean first = true;
        while (p < end) {
            int n = Math.min(maxPayload - 2, end - p);
            boolean lastFragment = p + n == end;
            byte[] b = out.reserve(RtpWriter.HEADER + 2 + n);
            int o = out.packetOffset();
            rtp.header(b, o, ts, marker && lastFragment);
            b[o + RtpWriter.HEADER] = (byte) indicator;
            b[o + RtpWriter.HEADER + 1] = (byte) ((first ? 0x80 : 0) | (lastFragment ? 0x40 : 0) | type);
            System.arraycopy(d, p, b, o + RtpWriter.HEADER + 2, n);
            out.commit(RtpWriter.HEADER + 2 + n);
            rtp.octets += 2 + n;
            p += n;
            first = false;
        }
    }
}
