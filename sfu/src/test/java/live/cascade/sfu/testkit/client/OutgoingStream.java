package live.cascade.sfu.testkit.client;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import live.cascade.sfu.testkit.RtpPacketBuilder;

/**
 * One track a {@link PacketPublisher} sends: its SSRC, payload type and next sequence number, and a history of every
 * packet built, from which NACKs are answered. Building a packet does not send it: the test sends what it built in the
 * order it likes, leaves packets out (loss), sends some twice (duplicates) or out of order (reordering).
 */
public final class OutgoingStream {
    /** A real SPS (libx264, 640x360 constrained baseline) and PPS, so the node's resolution probe has something to read. */
    public static final byte[] SPS = HexFormat.of().parseHex("6742c01ed900a02ff970110000030001000003003c0f162e48");
    public static final byte[] PPS = HexFormat.of().parseHex("68ce3c80");
    /** FU-A fragments carry at most this many bytes of NAL unit. */
    public static final int FRAGMENT = 1000;
    private static final int HISTORY = 4096;

    private final String kind;
    private final long ssrc;
    private final int payloadType;
    private final int midExtensionId;
    private final String mid;
    private int nextSeq;
    private int ridExtensionId;
    private byte[] rid;
    private final Map<Integer, byte[]> history = new LinkedHashMap<>(256, 0.75f, false) {
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) { return size() > HISTORY; }
    };

    OutgoingStream(String kind, long ssrc, int payloadType, int midExtensionId, String mid, int firstSeq) {
        this.kind = kind;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.midExtensionId = midExtensionId;
        this.mid = mid;
        this.nextSeq = firstSeq & 0xFFFF;
    }

    /** This stream as one simulcast layer: every packet carries the rid extension. */
    OutgoingStream asLayer(int ridExtensionId, String rid) {
        this.ridExtensionId = ridExtensionId;
        this.rid = rid.getBytes(StandardCharsets.US_ASCII);
        return this;
    }

    public String kind() { return kind; }

    public long ssrc() { return ssrc; }

    public int payloadType() { return payloadType; }

    public synchronized int nextSeq() { return nextSeq; }

    /** Chooses the sequence number of the next packet built (to test wrap-around, or a jump). */
    public synchronized OutgoingStream nextSeq(int seq) {
        nextSeq = seq & 0xFFFF;
        return this;
    }

    /**
     * A builder with this stream's SSRC, payload type, the next sequence number (taken now) and the mid extension when
     * the node negotiated it; finish it with {@link #record(RtpPacketBuilder)}.
     */
    public synchronized RtpPacketBuilder builder(long timestamp) {
        RtpPacketBuilder b = rtp().ssrc(ssrc).pt(payloadType).seq(nextSeq).ts(timestamp);
        nextSeq = (nextSeq + 1) & 0xFFFF;
        if (midExtensionId > 0) b.ext1(midExtensionId, mid.getBytes(StandardCharsets.US_ASCII));
        if (ridExtensionId > 0) b.ext1(ridExtensionId, rid);
        return b;
    }

    /** Builds the packet and keeps it in the history for NACKs. */
    public byte[] record(RtpPacketBuilder builder) {
        byte[] p = builder.build();
        synchronized (this) {
            history.put(ReceivedRtp.u16(p, 2), p);
        }
        return p;
    }

    /** One packet with the next sequence number. */
    public byte[] packet(long timestamp, boolean marker, byte[] payload) {
        return record(builder(timestamp).marker(marker).payload(payload));
    }

    /**
     * A synthetic H.264 access unit at {@code timestamp}, marker on its last packet. A keyframe is SPS and PPS as
     * single NAL units, then an IDR slice of 2,500 bytes as FU-A fragments (three packets); a delta frame is one
     * non-IDR slice of 300 bytes as a single NAL unit. Payload bytes depend on the timestamp, so every frame differs.
     */
    public List<byte[]> h264(long timestamp, boolean keyframe) {
        if (!keyframe) return h264(timestamp, List.of(slice(0x41, 300, timestamp)));
        return h264(timestamp, List.of(SPS, PPS, slice(0x65, 2500, timestamp)));
    }

    /**
     * An encoded H.264 access unit given as an Annex B byte stream (NAL units after start codes, as an encoder or an
     * {@code .h264} file gives them), packetized as a WebRTC sender does: see {@link #h264(long, List)}. Access unit
     * delimiters are left out (RFC 6184 senders drop them; the marker bit ends an access unit).
     */
    public List<byte[]> h264AccessUnit(long timestamp, byte[] annexB) {
        List<byte[]> nals = new ArrayList<>();
        for (byte[] nal : nalUnits(annexB)) if ((nal[0] & 0x1F) != 9) nals.add(nal);
        return h264(timestamp, nals);
    }

    /**
     * One access unit's NAL units at {@code timestamp} (RFC 6184, packetization mode 1): each NAL unit of at most
     * {@link #FRAGMENT} bytes as a single NAL unit packet, a larger one as FU-A fragments; marker on the last packet.
     */
    public List<byte[]> h264(long timestamp, List<byte[]> nalUnits) {
        if (nalUnits.isEmpty()) throw new IllegalArgumentException("an access unit has at least one NAL unit");
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < nalUnits.size(); i++) {
            byte[] nal = nalUnits.get(i);
            boolean last = i == nalUnits.size() - 1;
            if (nal.length <= FRAGMENT) {
                out.add(packet(timestamp, last, nal));
                continue;
            }
            // FU-A (RFC 6184 §5.8): indicator keeps F and NRI with type 28, header has S/E and the NAL type.
            int indicator = (nal[0] & 0xE0) | 28;
            for (int at = 1; at < nal.length; at += FRAGMENT) {
                int n = Math.min(FRAGMENT, nal.length - at);
                boolean start = at == 1;
                boolean end = at + n == nal.length;
                byte[] fu = new byte[2 + n];
                fu[0] = (byte) indicator;
                fu[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1F));
                System.arraycopy(nal, at, fu, 2, n);
                out.add(packet(timestamp, last && end, fu));
            }
        }
        return out;
    }

    /** The NAL units of an Annex B byte stream (3- or 4-byte start codes), without their start codes. */
    public static List<byte[]> nalUnits(byte[] annexB) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < annexB.length) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
                if (start >= 0) out.add(trimmed(annexB, start, i));
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < annexB.length) out.add(trimmed(annexB, start, annexB.length));
        else if (start < 0) throw new IllegalArgumentException("no Annex B start code");
        return out;
    }

    /** {@code [from, to)} without the zero bytes before the next start code (a 4-byte start code's leading zero). */
    private static byte[] trimmed(byte[] b, int from, int to) {
        while (to > from && b[to - 1] == 0) to--;
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    /** An Opus packet (TOC 0x78: SILK-only wideband, 20 ms, one frame) of 60 bytes. */
    public byte[] opus(long timestamp) {
        byte[] payload = new byte[60];
        payload[0] = 0x78;
        for (int i = 1; i < payload.length; i++) payload[i] = (byte) (timestamp / 960 + i);
        return packet(timestamp, false, payload);
    }

    /** A packet built earlier, or null once it left the history. */
    public synchronized byte[] fromHistory(int seq) {
        return history.get(seq & 0xFFFF);
    }

    /** A NAL unit: its header byte, then (for slices) a first byte with first_mb_in_slice = 0, then filler. */
    private static byte[] slice(int header, int length, long timestamp) {
        byte[] nal = new byte[length];
        nal[0] = (byte) header;
        nal[1] = (byte) 0x88;
        for (int i = 2; i < length; i++) nal[i] = (byte) (timestamp / 3000 + i * 7);
        return nal;
    }
}
