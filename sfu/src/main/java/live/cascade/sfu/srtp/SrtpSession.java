package live.cascade.sfu.srtp;

import java.util.Objects;
import live.cascade.sfu.params.SrtpProfile;

/**
 * The SRTP/SRTCP state of one secured transport, with keys from DTLS-SRTP: under AES-CM our own allocation-free
 * transforms ({@link AesCmSrtpTransforms}), under GCM Jitsi SRTP ({@link JitsiSrtpTransforms}).
 *
 * <p>Confined to the owning media worker's thread. All operations work in place on the {@link PacketBuffer}; protect
 * needs {@link SrtpPolicies#rtcpOverhead} bytes of tail room after the packet.
 */
public final class SrtpSession implements AutoCloseable {
    /**
     * A peer can name any SSRC it likes, and each new one costs state; past this many we stop learning (a WebRTC peer
     * uses a handful: audio, video, RTX, simulcast layers).
     */
    static final int MAX_REMOTE_SSRCS = 64;

    private final SrtpProfile profile;
    private final SrtpTransforms transforms;

    public SrtpSession(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
        this(profile, localKey, localSalt, remoteKey, remoteSalt, true);
    }

    /**
     * @param receiveReplayCheck false turns off the receive-side replay window: only for benchmarks that decrypt one
     *                           captured packet over and over (the window check itself costs a few nanoseconds)
     */
    public SrtpSession(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt,
                       boolean receiveReplayCheck) {
        this.profile = Objects.requireNonNull(profile, "profile");
        SrtpRuntime.initialize();
        this.transforms = switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 ->
                    new AesCmSrtpTransforms(localKey, localSalt, remoteKey, remoteSalt, receiveReplayCheck);
            case AEAD_AES_128_GCM ->
                    new JitsiSrtpTransforms(profile, localKey, localSalt, remoteKey, remoteSalt, receiveReplayCheck);
        };
    }

    public SrtpProfile profile() { return profile; }

    /** Decrypts and authenticates an SRTP packet in place; on {@link SrtpStatus#OK} the buffer holds plain RTP. */
    public SrtpStatus unprotectRtp(PacketBuffer pkt) {
        return pkt.getLength() < 12 ? SrtpStatus.INVALID : transforms.unprotectRtp(pkt);
    }

    /** Decrypts and authenticates an SRTCP packet in place; on {@link SrtpStatus#OK} the buffer holds plain RTCP. */
    public SrtpStatus unprotectRtcp(PacketBuffer pkt) {
        return pkt.getLength() < 8 ? SrtpStatus.INVALID : transforms.unprotectRtcp(pkt);
    }

    /** Encrypts an RTP packet in place, appending the tag into the tail room. */
    public SrtpStatus protectRtp(PacketBuffer pkt) {
        return pkt.getLength() < 12 ? SrtpStatus.INVALID : transforms.protectRtp(pkt);
    }

    /** Encrypts an RTCP packet in place, appending E flag, index and tag into the tail room. */
    public SrtpStatus protectRtcp(PacketBuffer pkt) {
        return pkt.getLength() < 8 ? SrtpStatus.INVALID : transforms.protectRtcp(pkt);
    }

    /** Remote SSRCs that have authenticated so far (for diagnostics and tests). */
    public int remoteRtpStreams() { return transforms.remoteRtpStreams(); }

    @Override
    public void close() {
        transforms.close();
    }
}
