package live.cascade.sfu.srtp;

/**
 * The four transforms of one secured transport (RTP and RTCP, each way) for its negotiated profile. Callers have
 * checked that the packet holds at least the fixed header (12 bytes RTP, 8 bytes RTCP).
 */
sealed interface SrtpTransforms extends AutoCloseable permits AesCmSrtpTransforms, JitsiSrtpTransforms {
    SrtpStatus protectRtp(PacketBuffer pkt);

    SrtpStatus protectRtcp(PacketBuffer pkt);

    SrtpStatus unprotectRtp(PacketBuffer pkt);

    SrtpStatus unprotectRtcp(PacketBuffer pkt);

    /** Remote SSRCs that have sent an authentic RTP packet. */
    int remoteRtpStreams();

    @Override
    void close();
}
