package live.cascade.bench;

import java.util.List;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.transport.MediaTransport;

/** A Chromium-like publication (Opus + H.264 with RTX, mid / abs-send-time / transport-cc) and matching viewers. */
final class Streams {
    static final long VIDEO_SSRC = 0x2000;
    static final int H264_PT = 102;
    static final HeaderExtensions PUBLISHER_EXT = new HeaderExtensions(1, 2, 3, 4, 0, 0);
    static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(4, 2, 3, 1, 0, 0);
    /** A typical full-size video packet: 1,200 bytes of payload. */
    static final int PAYLOAD = 1200;

    private Streams() {}

    static List<TrackParameters> publisher() {
        return List.of(
                new TrackParameters(MediaKind.AUDIO, "0", new Codec(111, "opus", 48_000, 2, "", List.of("transport-cc"), -1),
                        0x1000, 0, PUBLISHER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", new Codec(H264_PT, "H264", 90_000, 1,
                        "packetization-mode=1;profile-level-id=42e01f", List.of("nack", "nack pli", "transport-cc"), 103),
                        VIDEO_SSRC, 0x2001, PUBLISHER_EXT));
    }

    static List<TrackParameters> viewer(int i) {
        return List.of(
                new TrackParameters(MediaKind.AUDIO, "0", new Codec(111, "opus", 48_000, 2, "", List.of("transport-cc"), -1),
                        0x10_0000L + i, 0, VIEWER_EXT),
                new TrackParameters(MediaKind.VIDEO, "1", new Codec(96, "H264", 90_000, 1,
                        "packetization-mode=1;profile-level-id=42e01f", List.of("nack", "nack pli", "transport-cc"), 97),
                        0x20_0000L + i, 0x30_0000L + i, VIEWER_EXT));
    }

    /**
     * A plain H.264 packet of the video track: header, one-byte extensions (mid "1", abs-send-time, transport-cc),
     * then {@link #PAYLOAD} bytes starting with an IDR or a non-IDR slice header. Sized with SRTP tail room.
     */
    static byte[] videoPacket(boolean keyframe) {
        byte[] p = new byte[12 + 4 + 12 + PAYLOAD + MediaTransport.SRTP_TAIL_ROOM];
        p[0] = (byte) 0x90;
        p[1] = (byte) H264_PT;
        BigEndian.put32(p, 8, VIDEO_SSRC);
        BigEndian.put16(p, 12, 0xBEDE);
        BigEndian.put16(p, 14, 3); // 12 bytes of elements
        int e = 16;
        p[e++] = 0x10; // id 1 (mid), 1 byte
        p[e++] = '1';
        p[e++] = 0x22; // id 2 (abs-send-time), 3 bytes
        e += 3;
        p[e++] = 0x31; // id 3 (transport-cc), 2 bytes
        e += 2;
        e = 28;
        p[e] = (byte) (keyframe ? 0x65 : 0x41);
        p[e + 1] = (byte) 0x88;
        for (int i = e + 2; i < e + PAYLOAD; i++) p[i] = (byte) (i * 31);
        return p;
    }

    static int videoLength() { return 12 + 4 + 12 + PAYLOAD; }

    /** Offset of the transport-cc value in {@link #videoPacket}. */
    static final int TRANSPORT_CC_AT = 16 + 2 + 4 + 1;

    static void stamp(byte[] p, int seq, long timestamp, int transportSequence) {
        BigEndian.put16(p, 2, seq & 0xFFFF);
        BigEndian.put32(p, 4, timestamp & 0xFFFF_FFFFL);
        BigEndian.put16(p, TRANSPORT_CC_AT, transportSequence & 0xFFFF);
    }

    /** Sessions of both ends of one transport: {@code [0]} ours, {@code [1]} the peer's (keys swapped). */
    static SrtpSession[] sessionPair(SrtpProfile suite, int seed, boolean peerReplayCheck) {
        byte[] a = key(suite.keyLength(), seed);
        byte[] as = key(suite.saltLength(), seed + 1);
        byte[] b = key(suite.keyLength(), seed + 2);
        byte[] bs = key(suite.saltLength(), seed + 3);
        return new SrtpSession[] {
            new SrtpSession(suite, a, as, b, bs),
            new SrtpSession(suite, b, bs, a, as, peerReplayCheck)
        };
    }

    private static byte[] key(int n, int seed) {
        byte[] k = new byte[n];
        for (int i = 0; i < n; i++) k[i] = (byte) (seed * 37 + i * 11);
        return k;
    }
}
