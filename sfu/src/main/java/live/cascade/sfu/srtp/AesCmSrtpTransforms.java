package live.cascade.sfu.srtp;

/** AES_CM_128_HMAC_SHA1_80 through our own allocation-free transforms ({@link AesCmRtpTransform}). */
final class AesCmSrtpTransforms implements SrtpTransforms {
    private final AesCmRtpTransform rtpSender;
    private final AesCmRtpTransform rtpReceiver;
    private final AesCmRtcpTransform rtcpSender;
    private final AesCmRtcpTransform rtcpReceiver;
    private final boolean replayCheck;

    AesCmSrtpTransforms(byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt, boolean replayCheck) {
        rtpSender = new AesCmRtpTransform(localKey, localSalt);
        rtpReceiver = new AesCmRtpTransform(remoteKey, remoteSalt);
        rtcpSender = new AesCmRtcpTransform(localKey, localSalt);
        rtcpReceiver = new AesCmRtcpTransform(remoteKey, remoteSalt);
        this.replayCheck = replayCheck;
    }

    @Override public SrtpStatus protectRtp(PacketBuffer pkt) { return rtpSender.protect(pkt); }

    @Override public SrtpStatus protectRtcp(PacketBuffer pkt) { return rtcpSender.protect(pkt); }

    @Override public SrtpStatus unprotectRtp(PacketBuffer pkt) { return rtpReceiver.unprotect(pkt, replayCheck); }

    @Override public SrtpStatus unprotectRtcp(PacketBuffer pkt) { return rtcpReceiver.unprotect(pkt, replayCheck); }

    @Override public int remoteRtpStreams() { return rtpReceiver.streams(); }

    @Override
    public void close() {
        rtpSender.destroy();
        rtpReceiver.destroy();
        rtcpSender.destroy();
        rtcpReceiver.destroy();
    }
}
