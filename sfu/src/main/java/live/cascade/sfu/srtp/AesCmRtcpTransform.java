package live.cascade.sfu.srtp;

import java.security.GeneralSecurityException;
import live.cascade.sfu.rtp.BigEndian;

/**
 * SRTCP under {@code AES_CM_128_HMAC_SHA1_80} (RFC 3711 3.4), in place and without allocating per packet: the RTCP
 * counterpart of {@link AesCmRtpTransform}. Everything after the first 8 bytes is encrypted; the E flag and the 31-bit
 * SRTCP index (one counter per sending SSRC) follow, then the 80-bit tag over all of it.
 *
 * <p>RTCP is not per viewer per media packet, but transport-wide feedback arrives from every viewer about 20 times a
 * second and goes to every publisher as often, so at a thousand viewers it is tens of thousands of packets a second.
 * Not thread-safe: the owning media worker's thread only.
 */
final class AesCmRtcpTransform {
    static final int TAG_LENGTH = 10;
    /** E flag and SRTCP index. */
    static final int INDEX_LENGTH = 4;
    private static final int HEADER = 8;
    private static final int ENCRYPTED = 0x8000_0000;

    private final AesCmCipher cipher;
    private final HmacSha1 hmac;
    private final byte[] expectedTag = new byte[TAG_LENGTH];
    private final SsrcWindows streams = new SsrcWindows();

    AesCmRtcpTransform(byte[] masterKey, byte[] masterSalt) {
        AesCmKeys keys = AesCmKeys.forRtcp(masterKey, masterSalt);
        cipher = new AesCmCipher(keys.encryption(), keys.salt());
        hmac = new HmacSha1(keys.authentication());
        keys.erase();
    }

    /** Encrypts the RTCP compound packet in {@code pkt} and appends E flag, index and tag (14 bytes of tail room). */
    SrtpStatus protect(PacketBuffer pkt) {
        byte[] buf = pkt.getBuffer();
        int off = pkt.getOffset();
        int len = pkt.getLength();
        if (len < HEADER) return SrtpStatus.INVALID;

        int ssrc = (int) BigEndian.u32(buf, off + 4);
        // One counter per sending SSRC, from 0; the index is its low 31 bits, so after 2^31 packets it starts over, as
        // Jitsi's does.
        ReplayWindow sent = streams.get(ssrc);
        long count = sent == null ? 0 : sent.highest() + 1;
        streams.record(ssrc, sent, count);
        int index = (int) count & ~ENCRYPTED;
        try {
            cipher.apply(buf, off + HEADER, len - HEADER, ssrc, index);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.FAILED;
        }
        pkt.grow(INDEX_LENGTH + TAG_LENGTH);
        buf = pkt.getBuffer();
        BigEndian.put32(buf, off + len, ENCRYPTED | index);
        tag(buf, off, len + INDEX_LENGTH, buf, off + len + INDEX_LENGTH);
        pkt.setLength(len + INDEX_LENGTH + TAG_LENGTH);
        return SrtpStatus.OK;
    }

    /**
     * Checks the replay window and the tag, decrypts in place (unless the E flag says the sender did not encrypt) and
     * drops index and tag. State for a new SSRC is created only by a packet that authenticates, and only up to
     * {@link SrtpSession#MAX_REMOTE_SSRCS} of them.
     */
    SrtpStatus unprotect(PacketBuffer pkt, boolean replayCheck) {
        byte[] buf = pkt.getBuffer();
        int off = pkt.getOffset();
        int len = pkt.getLength() - INDEX_LENGTH - TAG_LENGTH;
        if (len < HEADER) return SrtpStatus.INVALID;

        int ssrc = (int) BigEndian.u32(buf, off + 4);
        int flagAndIndex = (int) BigEndian.u32(buf, off + len);
        int index = flagAndIndex & ~ENCRYPTED;
        ReplayWindow received = streams.get(ssrc);
        if (received == null && streams.full()) return SrtpStatus.TOO_MANY_SSRCS;
        if (replayCheck && received != null && received.replayed(index)) return SrtpStatus.REPLAYED;

        tag(buf, off, len + INDEX_LENGTH, expectedTag, 0);
        if (!HmacSha1.equalInConstantTime(expectedTag, buf, off + len + INDEX_LENGTH, TAG_LENGTH)) {
            return SrtpStatus.AUTH_FAILED;
        }
        if ((flagAndIndex & ENCRYPTED) != 0) {
            try {
                cipher.apply(buf, off + HEADER, len - HEADER, ssrc, index);
            } catch (GeneralSecurityException e) {
                return SrtpStatus.FAILED;
            }
        }
        streams.record(ssrc, received, index);
        pkt.setLength(len);
        return SrtpStatus.OK;
    }

    int streams() { return streams.size(); }

    void destroy() {
        cipher.destroy();
        hmac.destroy();
        streams.clear();
    }

    private void tag(byte[] buf, int off, int len, byte[] out, int outOff) {
        hmac.start();
        hmac.update(buf, off, len);
        hmac.finish(out, outOff, TAG_LENGTH);
    }
}
