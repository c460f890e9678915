package live.cascade.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import java.util.Objects;
import live.cascade.sfu.params.SrtpProfile;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * The SRTP/SRTCP state of one secured transport: a sending and a receiving context factory (keys from DTLS-SRTP) and
 * per-SSRC crypto contexts, created lazily and kept in int-keyed maps so the per-packet lookup does not box.
 *
 * <p>Under AES-CM, RTP and RTCP go through {@link AesCmRtpTransform} and {@link AesCmRtcpTransform} (ours,
 * allocation-free); under GCM through Jitsi SRTP. Confined to the owning media worker's thread. All operations work
 * in place on the {@link PacketBuffer}; protect needs {@link SrtpPolicies#rtcpOverhead} bytes of tail room after
 * the packet (GCM writes its tag there without asking).
 */
public final class SrtpSession implements AutoCloseable {
    /**
     * A peer can name any SSRC it likes, and each new one costs a key derivation; past this many we stop learning
     * (a WebRTC peer uses a handful: audio, video, RTX, simulcast layers).
     */
    static final int MAX_REMOTE_SSRCS = 64;

    private static final Logger LOG = new LoggerImpl(SrtpSession.class.getName());

    private final SrtpProfile profile;
    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    /** Under AES-CM, each way: our allocation-free transforms instead of Jitsi's (see {@link AesCmRtpTransform}). */
    private final AesCmRtpTransform aesCmRtpSender;
    private final AesCmRtpTransform aesCmRtpReceiver;
    private final AesCmRtcpTransform aesCmRtcpSender;
    private final AesCmRtcpTransform aesCmRtcpReceiver;
    private final boolean receiveReplayCheck;
    private final IntObjectHashMap<SrtpCryptoContext> sendRtp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> sendRtcp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> receiveRtp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> receiveRtcp = new IntObjectHashMap<>();

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
        this.sender = new SrtpContextFactory(true, localKey, localSalt,
                SrtpPolicies.forProfile(profile), SrtpPolicies.forProfile(profile), LOG);
        this.receiver = new SrtpContextFactory(false, remoteKey, remoteSalt,
                receivePolicy(profile, receiveReplayCheck), receivePolicy(profile, receiveReplayCheck), LOG);
        boolean aesCm = profile == SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        this.aesCmRtpSender = aesCm ? new AesCmRtpTransform(localKey, localSalt) : null;
        this.aesCmRtpReceiver = aesCm ? new AesCmRtpTransform(remoteKey, remoteSalt) : null;
        this.aesCmRtcpSender = aesCm ? new AesCmRtcpTransform(localKey, localSalt) : null;
        this.aesCmRtcpReceiver = aesCm ? new AesCmRtcpTransform(remoteKey, remoteSalt) : null;
        this.receiveReplayCheck = receiveReplayCheck;
    }

    private static org.jitsi.srtp.SrtpPolicy receivePolicy(SrtpProfile profile, boolean replayCheck) {
        org.jitsi.srtp.SrtpPolicy policy = SrtpPolicies.forProfile(profile);
        if (!replayCheck) policy.setReceiveReplayEnabled(false);
        return policy;
    }

    public SrtpProfile profile() { return profile; }

    /** Decrypts and authenticates an SRTP packet in place; on {@link SrtpStatus#OK} the buffer holds plain RTP. */
    public SrtpStatus unprotectRtp(PacketBuffer pkt) {
        if (pkt.getLength() < 12) return SrtpStatus.INVALID;
        int ssrc = readInt(pkt.getBuffer(), pkt.getOffset() + 8);
        if (aesCmRtpReceiver != null) {
            if (aesCmRtpReceiver.streams() >= MAX_REMOTE_SSRCS && !aesCmRtpReceiver.knows(ssrc)) {
                return SrtpStatus.TOO_MANY_SSRCS;
            }
            return aesCmRtpReceiver.unprotect(pkt, receiveReplayCheck);
        }
        try {
            SrtpCryptoContext ctx = receiveRtp.get(ssrc);
            if (ctx != null) return map(ctx.reverseTransformPacket(pkt, false));
            if (receiveRtp.size() >= MAX_REMOTE_SSRCS) return SrtpStatus.TOO_MANY_SSRCS;
            ctx = receiver.deriveContext(ssrc, 0);
            SrtpStatus status = map(ctx.reverseTransformPacket(pkt, false));
            // Only an authenticated packet may create state, or forged SSRCs would fill the map.
            if (status == SrtpStatus.OK) receiveRtp.put(ssrc, ctx);
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    /** Decrypts and authenticates an SRTCP packet in place; on {@link SrtpStatus#OK} the buffer holds plain RTCP. */
    public SrtpStatus unprotectRtcp(PacketBuffer pkt) {
        if (pkt.getLength() < 8) return SrtpStatus.INVALID;
        int ssrc = readInt(pkt.getBuffer(), pkt.getOffset() + 4);
        if (aesCmRtcpReceiver != null) {
            if (aesCmRtcpReceiver.streams() >= MAX_REMOTE_SSRCS && !aesCmRtcpReceiver.knows(ssrc)) {
                return SrtpStatus.TOO_MANY_SSRCS;
            }
            return aesCmRtcpReceiver.unprotect(pkt, receiveReplayCheck);
        }
        try {
            SrtcpCryptoContext ctx = receiveRtcp.get(ssrc);
            if (ctx != null) return map(ctx.reverseTransformPacket(pkt));
            if (receiveRtcp.size() >= MAX_REMOTE_SSRCS) return SrtpStatus.TOO_MANY_SSRCS;
            ctx = receiver.deriveControlContext(ssrc);
            SrtpStatus status = map(ctx.reverseTransformPacket(pkt));
            if (status == SrtpStatus.OK) receiveRtcp.put(ssrc, ctx);
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    /** Encrypts an RTP packet in place, appending the tag into the tail room. */
    public SrtpStatus protectRtp(PacketBuffer pkt) {
        if (pkt.getLength() < 12) return SrtpStatus.INVALID;
        if (aesCmRtpSender != null) return aesCmRtpSender.protect(pkt);
        int ssrc = readInt(pkt.getBuffer(), pkt.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = sendRtp.get(ssrc);
            if (ctx == null) {
                ctx = sender.deriveContext(ssrc, 0);
                sendRtp.put(ssrc, ctx);
            }
            return map(ctx.transformPacket(pkt));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    /** Encrypts an RTCP packet in place, appending E flag, index and tag into the tail room. */
    public SrtpStatus protectRtcp(PacketBuffer pkt) {
        if (pkt.getLength() < 8) return SrtpStatus.INVALID;
        if (aesCmRtcpSender != null) return aesCmRtcpSender.protect(pkt);
        int ssrc = readInt(pkt.getBuffer(), pkt.getOffset() + 4);
        try {
            SrtcpCryptoContext ctx = sendRtcp.get(ssrc);
            if (ctx == null) {
                ctx = sender.deriveControlContext(ssrc);
                sendRtcp.put(ssrc, ctx);
            }
            return map(ctx.transformPacket(pkt));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    /** Remote SSRCs that have authenticated so far (for diagnostics and tests). */
    public int remoteRtpStreams() { return aesCmRtpReceiver != null ? aesCmRtpReceiver.streams() : receiveRtp.size(); }

    @Override
    public void close() {
        if (aesCmRtpSender != null) aesCmRtpSender.destroy();
        if (aesCmRtpReceiver != null) aesCmRtpReceiver.destroy();
        if (aesCmRtcpSender != null) aesCmRtcpSender.destroy();
        if (aesCmRtcpReceiver != null) aesCmRtcpReceiver.destroy();
        sender.close();
        receiver.close();
        sendRtp.clear();
        sendRtcp.clear();
        receiveRtp.clear();
        receiveRtcp.clear();
    }

    private static SrtpStatus map(SrtpErrorStatus s) {
        return switch (s) {
            case OK -> SrtpStatus.OK;
            case AUTH_FAIL -> SrtpStatus.AUTH_FAILED;
            case REPLAY_FAIL, REPLAY_OLD -> SrtpStatus.REPLAYED;
            case INVALID_PACKET -> SrtpStatus.INVALID;
            case FAIL -> SrtpStatus.FAILED;
        };
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
