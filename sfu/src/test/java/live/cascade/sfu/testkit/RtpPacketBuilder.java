package live.cascade.sfu.testkit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds RTP packets byte by byte for tests, deliberately independent of the code under test: header fields, CSRCs,
 * header extensions in the one-byte (0xBEDE) or two-byte (0x1000) form, payload and padding. The one RTP builder of
 * the project's tests; RTCP packets come from {@link RtcpPackets}.
 */
public final class RtpPacketBuilder {
    private int payloadType = 96;
    private int seq;
    private long timestamp;
    private long ssrc = 0x11223344L;
    private boolean marker;
    private final List<Long> csrcs = new ArrayList<>();
    private int extensionProfile = -1;
    private final ByteArrayOutputStream extension = new ByteArrayOutputStream();
    private byte[] payload = {1, 2, 3, 4};
    private int payloadLength = -1;
    private int padding;

    public static RtpPacketBuilder rtp() { return new RtpPacketBuilder(); }

    public RtpPacketBuilder pt(int pt) { this.payloadType = pt; return this; }

    public RtpPacketBuilder seq(int seq) { this.seq = seq & 0xFFFF; return this; }

    public RtpPacketBuilder ts(long ts) { this.timestamp = ts & 0xFFFF_FFFFL; return this; }

    public RtpPacketBuilder ssrc(long ssrc) { this.ssrc = ssrc; return this; }

    public RtpPacketBuilder marker(boolean m) { this.marker = m; return this; }

    public RtpPacketBuilder csrc(long c) { csrcs.add(c); return this; }

    public RtpPacketBuilder payload(byte... p) { this.payload = p.clone(); payloadLength = -1; return this; }

    /**
     * A payload of {@code length} bytes counting up from the sequence number ({@code seq + i}): distinct per packet,
     * so a test comparing what arrived with what was sent notices a mix-up.
     */
    public RtpPacketBuilder payloadOfLength(int length) {
        if (length < 0) throw new IllegalArgumentException("negative payload length " + length);
        this.payloadLength = length;
        return this;
    }

    public RtpPacketBuilder payload(int... p) {
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) b[i] = (byte) p[i];
        this.payload = b;
        payloadLength = -1;
        return this;
    }

    public RtpPacketBuilder padding(int n) { this.padding = n; return this; }

    /** Appends a one-byte-form element (starts a 0xBEDE block on first use). */
    public RtpPacketBuilder ext1(int id, byte... data) {
        profile(0xBEDE);
        extension.write(id << 4 | (data.length - 1));
        extension.writeBytes(data);
        return this;
    }

    /** Appends a two-byte-form element (starts a 0x1000 block on first use). */
    public RtpPacketBuilder ext2(int id, byte... data) {
        profile(0x1000);
        extension.write(id);
        extension.write(data.length);
        extension.writeBytes(data);
        return this;
    }

    /** Appends raw bytes to the extension block (padding, malformed elements). */
    public RtpPacketBuilder extRaw(int profile, int... bytes) {
        profile(profile);
        for (int b : bytes) extension.write(b);
        return this;
    }

    private void profile(int p) {
        if (extensionProfile != -1 && extensionProfile != p) throw new IllegalStateException("mixed profiles");
        extensionProfile = p;
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | (padding > 0 ? 0x20 : 0) | (extensionProfile != -1 ? 0x10 : 0) | csrcs.size());
        out.write((marker ? 0x80 : 0) | payloadType);
        out.write(seq >>> 8);
        out.write(seq);
        write32(out, timestamp);
        write32(out, ssrc);
        for (long c : csrcs) write32(out, c);
        if (extensionProfile != -1) {
            byte[] ext = extension.toByteArray();
            int words = (ext.length + 3) / 4;
            out.write(extensionProfile >>> 8);
            out.write(extensionProfile);
            out.write(words >>> 8);
            out.write(words);
            out.writeBytes(ext);
            for (int i = ext.length; i < words * 4; i++) out.write(0);
        }
        if (payloadLength < 0) out.writeBytes(payload);
        else for (int i = 0; i < payloadLength; i++) out.write(seq + i);
        for (int i = 1; i < padding; i++) out.write(0);
        if (padding > 0) out.write(padding);
        return out.toByteArray();
    }

    private static void write32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
