package live.cascade.ingest.rtp;

/** One Opus packet per RTP packet (RFC 7587); the marker bit stays clear (no discontinuous transmission here). */
public final class OpusPacketizer {
    private final RtpWriter rtp;

    public OpusPacketizer(long ssrc, int payloadType, int firstSequence) {
        this.rtp = new RtpWriter(ssrc, payloadType, firstSequence);
    }

    public void packet(byte[] opus, int len, long timestamp48k, RtpBatch out) {
        byte[] b = out.reserve(RtpWriter.HEADER + len);
        int o = out.packetOffset();
        rtp.header(b, o, timestamp48k, false);
        System.arraycopy(opus, 0, b, o + RtpWriter.HEADER, len);
        out.commit(RtpWriter.HEADER + len);
        rtp.octets += len;
    }

    public long packets() { return rtp.packets; }

    public long octets() { return rtp.octets; }
}
