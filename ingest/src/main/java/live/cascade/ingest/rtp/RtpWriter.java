package live.cascade.ingest.rtp;

/** One outgoing RTP stream's header state: SSRC, payload type and the running sequence number. */
final class RtpWriter {
    static final int HEADER = 12;
    private final long ssrc;
    private final int payloadType;
    private int sequence;
    long packets;
    long octets;

    RtpWriter(long ssrc, int payloadType, int firstSequence) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.sequence = firstSequence & 0xFFFF;
    }

    /** Writes a 12-byte header at {@code off} and advances the sequence number. */
    void header(byte[] b, int off, long timestamp, boolean marker) {
        b[off] = (byte) 0x80;
        b[off + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        b[off + 2] = (byte) (sequence >>> 8);
        b[off + 3] = (byte) sequence;
        b[off + 4] = (byte) (timestamp >>> 24);
        b[off + 5] = (byte) (timestamp >>> 16);
        b[off + 6] = (byte) (timestamp >>> 8);
        b[off + 7] = (byte) timestamp;
        b[off + 8] = (byte) (ssrc >>> 24);
        b[off + 9] = (byte) (ssrc >>> 16);
        b[off + 10] = (byte) (ssrc >>> 8);
        b[off + 11] = (byte) ssrc;
        sequence = (sequence + 1) & 0xFFFF;
        packets++;
    }

    int sequence() { return sequence; }
}
