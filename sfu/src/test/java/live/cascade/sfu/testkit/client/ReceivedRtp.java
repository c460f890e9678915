package live.cascade.sfu.testkit.client;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One decrypted RTP packet as the client received it, read by the client itself (not by the media plane's
 * {@code RtpHeader}), with the header extensions by id and the payload without padding.
 */
public record ReceivedRtp(long ssrc, int payloadType, int seq, long timestamp, boolean marker,
                          Map<Integer, byte[]> extensions, byte[] payload, long arrivalNanos) {

    /** Reads a plain RTP packet; throws {@link IllegalArgumentException} when it is not one. */
    public static ReceivedRtp parse(byte[] p, long arrivalNanos) {
        if (p.length < 12 || (p[0] & 0xC0) != 0x80) throw new IllegalArgumentException("not RTP: " + p.length + " bytes");
        int csrcs = p[0] & 0x0F;
        int pos = 12 + 4 * csrcs;
        int end = p.length;
        if ((p[0] & 0x20) != 0) end -= p[end - 1] & 0xFF;
        Map<Integer, byte[]> extensions = new LinkedHashMap<>();
        if ((p[0] & 0x10) != 0) {
            int profile = u16(p, pos);
            int words = u16(p, pos + 2);
            int at = pos + 4;
            pos = at + 4 * words;
            if (pos > end) throw new IllegalArgumentException("extension block runs past the packet");
            readExtensions(p, at, pos, profile, extensions);
        }
        if (pos > end) throw new IllegalArgumentException("header runs past the packet");
        return new ReceivedRtp(u32(p, 8), p[1] & 0x7F, u16(p, 2), u32(p, 4), (p[1] & 0x80) != 0,
                Map.copyOf(extensions), Arrays.copyOfRange(p, pos, end), arrivalNanos);
    }

    private static void readExtensions(byte[] p, int at, int end, int profile, Map<Integer, byte[]> out) {
        boolean oneByte = profile == 0xBEDE;
        if (!oneByte && (profile & 0xFFF0) != 0x1000) return;
        while (at < end) {
            int id;
            int len;
            if (oneByte) {
                id = (p[at] & 0xF0) >>> 4;
                if (id == 0) { at++; continue; }
                if (id == 15) return;
                len = (p[at] & 0x0F) + 1;
                at++;
            } else {
                id = p[at] & 0xFF;
                if (id == 0) { at++; continue; }
                if (at + 1 >= end) return;
                len = p[at + 1] & 0xFF;
                at += 2;
            }
            if (at + len > end) throw new IllegalArgumentException("extension element " + id + " runs past its block");
            out.put(id, Arrays.copyOfRange(p, at, at + len));
            at += len;
        }
    }

    static int u16(byte[] b, int at) { return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF); }

    static long u32(byte[] b, int at) { return ((long) u16(b, at) << 16) | u16(b, at + 2); }

    @Override
    public String toString() {
        return "RTP[ssrc=" + ssrc + " pt=" + payloadType + " seq=" + seq + " ts=" + timestamp + (marker ? " M" : "")
                + " payload=" + HexFormat.of().formatHex(payload, 0, Math.min(8, payload.length)) + "…(" + payload.length + ")]";
    }
}
