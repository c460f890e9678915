package live.cascade.sfu.net;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;

/** The test peer's SRTP, keyed straight from DTLS keying material with its own RFC 5764 slicing. */
public final class PeerSrtp {
    private final SrtpContextFactory tx;
    private final SrtpContextFactory rx;
    private final Map<Integer, SrtpCryptoContext> txRtp = new HashMap<>();
    private final Map<Integer, SrtpCryptoContext> rxRtp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> txRtcp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rxRtcp = new HashMap<>();

    public PeerSrtp(TestPeer.Keys keys) {
        boolean gcm = keys.profile() == TestPeer.GCM;
        int k = 16;
        int s = gcm ? 12 : 14;
        byte[] m = keys.material();
        byte[] clientKey = Arrays.copyOfRange(m, 0, k);
        byte[] serverKey = Arrays.copyOfRange(m, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(m, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(m, 2 * k + s, 2 * k + 2 * s);
        var log = new LoggerImpl("peer-srtp");
        if (keys.weAreClient()) {
            tx = new SrtpContextFactory(true, clientKey, clientSalt, policy(gcm), policy(gcm), log);
            rx = new SrtpContextFactory(false, serverKey, serverSalt, policy(gcm), policy(gcm), log);
        } else {
            tx = new SrtpContextFactory(true, serverKey, serverSalt, policy(gcm), policy(gcm), log);
            rx = new SrtpContextFactory(false, clientKey, clientSalt, policy(gcm), policy(gcm), log);
        }
    }

    private static SrtpPolicy policy(boolean gcm) {
        return gcm ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
    }

    public byte[] protectRtp(byte[] plain) throws Exception {
        Buf b = Buf.withTailRoom(plain);
        SrtpCryptoContext ctx = txRtp.computeIfAbsent(ssrc(plain, 8), ssrc -> derive(tx, ssrc));
        check(ctx.transformPacket(b));
        return b.bytes();
    }

    public byte[] protectRtcp(byte[] plain) throws Exception {
        Buf b = Buf.withTailRoom(plain);
        SrtcpCryptoContext ctx = txRtcp.computeIfAbsent(ssrc(plain, 4), ssrc -> deriveControl(tx, ssrc));
        check(ctx.transformPacket(b));
        return b.bytes();
    }

    /** Plain RTP, or null when it does not authenticate. */
    public byte[] unprotectRtp(byte[] srtp) throws Exception {
        Buf b = Buf.withTailRoom(srtp);
        SrtpCryptoContext ctx = rxRtp.computeIfAbsent(ssrc(srtp, 8), ssrc -> derive(rx, ssrc));
        return ctx.reverseTransformPacket(b, false) == SrtpErrorStatus.OK ? b.bytes() : null;
    }

    /** Plain RTCP, or null when it does not authenticate. */
    public byte[] unprotectRtcp(byte[] srtcp) throws Exception {
        Buf b = Buf.withTailRoom(srtcp);
        SrtcpCryptoContext ctx = rxRtcp.computeIfAbsent(ssrc(srtcp, 4), ssrc -> deriveControl(rx, ssrc));
        return ctx.reverseTransformPacket(b) == SrtpErrorStatus.OK ? b.bytes() : null;
    }

    private static SrtpCryptoContext derive(SrtpContextFactory f, int ssrc) {
        try {
            return f.deriveContext(ssrc, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SrtcpCryptoContext deriveControl(SrtpContextFactory f, int ssrc) {
        try {
            return f.deriveControlContext(ssrc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(SrtpErrorStatus s) {
        if (s != SrtpErrorStatus.OK) throw new IllegalStateException("peer protect failed: " + s);
    }

    private static int ssrc(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static final class Buf implements ByteArrayBuffer {
        byte[] buf;
        int off;
        int len;

        static Buf withTailRoom(byte[] data) {
            Buf b = new Buf();
            b.buf = Arrays.copyOf(data, data.length + 64);
            b.len = data.length;
            return b;
        }

        byte[] bytes() { return Arrays.copyOfRange(buf, off, off + len); }

        @Override public byte[] getBuffer() { return buf; }
        @Override public int getOffset() { return off; }
        @Override public int getLength() { return len; }
        @Override public void setLength(int l) { len = l; }
        @Override public void setOffset(int o) { off = o; }
        @Override public boolean isInvalid() { return false; }
        @Override public void readRegionToBuff(int o, int l, byte[] out) { System.arraycopy(buf, off + o, out, 0, l); }
        @Override public void grow(int n) { if (buf.length - off - len < n) buf = Arrays.copyOf(buf, off + len + n); }
        @Override public void append(byte[] d, int l) { grow(l); System.arraycopy(d, 0, buf, off + len, l); len += l; }
        @Override public void shrink(int l) { len = Math.max(0, len - l); }
    }
}
