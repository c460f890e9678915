package live.cascade.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.rtp.BigEndian;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * A profile through Jitsi SRTP (the GCM one): a sending and a receiving context factory and per-SSRC crypto contexts,
 * created lazily and kept in int-keyed maps so the per-packet lookup does not box. GCM writes its tag into the tail
 * room without asking.
 */
final class JitsiSrtpTransforms implements SrtpTransforms {
    private static final Logger LOG = new LoggerImpl(JitsiSrtpTransforms.class.getName());

    private final SrtpContextFactory sender;
    private final SrtpContextFactory receiver;
    private final IntObjectHashMap<SrtpCryptoContext> sendRtp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> sendRtcp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> receiveRtp = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> receiveRtcp = new IntObjectHashMap<>();

    JitsiSrtpTransforms(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt,
                        boolean replayCheck) {
        sender = new SrtpContextFactory(true, localKey, localSalt,
                SrtpPolicies.forProfile(profile), SrtpPolicies.forProfile(profile), LOG);
        receiver = new SrtpContextFactory(false, remoteKey, remoteSalt,
                receivePolicy(profile, replayCheck), receivePolicy(profile, replayCheck), LOG);
    }

    private static SrtpPolicy receivePolicy(SrtpProfile profile, boolean replayCheck) {
        SrtpPolicy policy = SrtpPolicies.forProfile(profile);
        if (!replayCheck) policy.setReceiveReplayEnabled(false);
        return policy;
    }

    @Override
    public SrtpStatus unprotectRtp(PacketBuffer pkt) {
        int ssrc = (int) BigEndian.u32(pkt.getBuffer(), pkt.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = receiveRtp.get(ssrc);
            if (ctx != null) return map(ctx.reverseTransformPacket(pkt, false));
            if (receiveRtp.size() >= SrtpSession.MAX_REMOTE_SSRCS) return SrtpStatus.TOO_MANY_SSRCS;
            ctx = receiver.deriveContext(ssrc, 0);
            SrtpStatus status = map(ctx.reverseTransformPacket(pkt, false));
            // Only an authenticated packet may create state, or forged SSRCs would fill the map.
            if (status == SrtpStatus.OK) receiveRtp.put(ssrc, ctx);
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    @Override
    public SrtpStatus unprotectRtcp(PacketBuffer pkt) {
        int ssrc = (int) BigEndian.u32(pkt.getBuffer(), pkt.getOffset() + 4);
        try {
            SrtcpCryptoContext ctx = receiveRtcp.get(ssrc);
            if (ctx != null) return map(ctx.reverseTransformPacket(pkt));
            if (receiveRtcp.size() >= SrtpSession.MAX_REMOTE_SSRCS) return SrtpStatus.TOO_MANY_SSRCS;
            ctx = receiver.deriveControlContext(ssrc);
            SrtpStatus status = map(ctx.reverseTransformPacket(pkt));
            if (status == SrtpStatus.OK) receiveRtcp.put(ssrc, ctx);
            return status;
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpStatus.FAILED;
        }
    }

    @Override
    public SrtpStatus protectRtp(PacketBuffer pkt) {
        int ssrc = (int) BigEndian.u32(pkt.getBuffer(), pkt.getOffset() + 8);
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

    @Override
    public SrtpStatus protectRtcp(PacketBuffer pkt) {
        int ssrc = (int) BigEndian.u32(pkt.getBuffer(), pkt.getOffset() + 4);
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

    @Override
    public int remoteRtpStreams() { return receiveRtp.size(); }

    @Override
    public void close() {
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
}
