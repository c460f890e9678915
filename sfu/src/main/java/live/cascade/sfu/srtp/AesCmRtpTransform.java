package live.cascade.sfu.srtp;

import java.security.GeneralSecurityException;
import live.cascade.sfu.rtp.BigEndian;

/**
 * SRTP for RTP packets under {@code AES_CM_128_HMAC_SHA1_80} (RFC 3711 with RFC 5764's profile), in place and without
 * allocating per packet: one instance protects what we send, another (with the peer's keys) unprotects what we
 * receive. {@link AesCmRtcpTransform} is its SRTCP counterpart.
 *
 * <p>Ours rather than Jitsi SRTP's because the protect runs once per packet <em>per viewer</em>: Jitsi re-initialises
 * its JCE cipher with a new {@code IvParameterSpec} and gets each HMAC tag in a new array, about 100 bytes of garbage
 * per packet per viewer. The GCM profile stays with Jitsi. The tests check this class against Jitsi's transform byte
 * for byte, in both directions.
 *
 * <p>Each SSRC carries only its packet index (rollover counter and highest sequence number) and, when receiving, a
 * 64-packet replay window. Not thread-safe: the owning media worker's thread only.
 */
final class AesCmRtpTransform {
    static final int TAG_LENGTH = 10;

    private final AesCmCipher cipher;
    private final HmacSha1 hmac;
    private final byte[] rolloverBytes = new byte[4];
    private final byte[] expectedTag = new byte[TAG_LENGTH];
    private final SsrcWindows streams = new SsrcWindows();

    AesCmRtpTransform(byte[] masterKey, byte[] masterSalt) {
        AesCmKeys keys = AesCmKeys.forRtp(masterKey, masterSalt);
        cipher = new AesCmCipher(keys.encryption(), keys.salt());
        hmac = new HmacSha1(keys.authentication());
        keys.erase();
    }

    /**
     * Encrypts the payload of the RTP packet in {@code pkt} and appends the 10-byte tag, which must fit in the tail
     * room (the transport guarantees it; {@link PacketBuffer#grow} copies only when a caller broke that).
     */
    SrtpStatus protect(PacketBuffer pkt) {
        byte[] buf = pkt.getBuffer();
        int off = pkt.getOffset();
        int len = pkt.getLength();
        int header = headerLength(buf, off, len);
        if (header < 0) return SrtpStatus.INVALID;

        int ssrc = (int) BigEndian.u32(buf, off + 8);
        int seq = BigEndian.u16(buf, off + 2);
        ReplayWindow sent = streams.get(ssrc);
        long index = sent == null ? seq : estimateIndex(sent.highest(), seq);
        try {
            cipher.apply(buf, off + header, len - header, ssrc, index);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.FAILED;
        }
        streams.record(ssrc, sent, index);

        pkt.grow(TAG_LENGTH);
        buf = pkt.getBuffer();
        tag(buf, off, len, index, buf, off + len);
        pkt.setLength(len + TAG_LENGTH);
        return SrtpStatus.OK;
    }

    /**
     * Checks the replay window and the tag, then decrypts in place and drops the tag. State for a new SSRC is created
     * only by a packet that authenticates, so forged SSRCs leave nothing behind, and only up to
     * {@link SrtpSession#MAX_REMOTE_SSRCS} of them.
     *
     * @param replayCheck false skips the replay window (benchmarks that decrypt one captured packet over and over)
     */
    SrtpStatus unprotect(PacketBuffer pkt, boolean replayCheck) {
        byte[] buf = pkt.getBuffer();
        int off = pkt.getOffset();
        int len = pkt.getLength() - TAG_LENGTH;
        if (len < 12) return SrtpStatus.INVALID;
        int header = headerLength(buf, off, len);
        if (header < 0) return SrtpStatus.INVALID;

        int ssrc = (int) BigEndian.u32(buf, off + 8);
        int seq = BigEndian.u16(buf, off + 2);
        ReplayWindow received = streams.get(ssrc);
        if (received == null && streams.full()) return SrtpStatus.TOO_MANY_SSRCS;
        long index = received == null ? seq : estimateIndex(received.highest(), seq);
        if (replayCheck && received != null && received.replayed(index)) return SrtpStatus.REPLAYED;

        tag(buf, off, len, index, expectedTag, 0);
        if (!HmacSha1.equalInConstantTime(expectedTag, buf, off + len, TAG_LENGTH)) return SrtpStatus.AUTH_FAILED;
        try {
            cipher.apply(buf, off + header, len - header, ssrc, index);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.FAILED;
        }
        streams.record(ssrc, received, index);
        pkt.setLength(len);
        return SrtpStatus.OK;
    }

    /** SSRCs with state: for a receiver, those that sent an authentic packet. */
    int streams() { return streams.size(); }

    void destroy() {
        cipher.destroy();
        hmac.destroy();
        streams.clear();
    }

    /**
     * RFC 3711 3.3.1: the index of {@code seq} is the one, among the rollover periods around the highest index so
     * far, nearest to it; so a packet sent or retransmitted around a wrap of the sequence number keeps its true index.
     */
    static long estimateIndex(long highest, int seq) {
        int rollover = (int) (highest >> 16);
        int highestSeq = (int) (highest & 0xFFFF);
        int guess;
        if (highestSeq < 0x8000) {
            guess = seq - highestSeq > 0x8000 ? rollover - 1 : rollover;
        } else {
            guess = highestSeq - 0x8000 > seq ? rollover + 1 : rollover;
        }
        return (long) guess << 16 | seq;
    }

    /** RFC 3711 4.2: HMAC-SHA1 over the packet and the rollover counter, truncated to 80 bits. */
    private void tag(byte[] buf, int off, int len, long index, byte[] out, int outOff) {
        BigEndian.put32(rolloverBytes, 0, index >> 16);
        hmac.start();
        hmac.update(buf, off, len);
        hmac.update(rolloverBytes, 0, 4);
        hmac.finish(out, outOff, TAG_LENGTH);
    }

    /** Where the encrypted part starts: after the fixed header, the CSRCs and the extension block; -1 if they overrun. */
    static int headerLength(byte[] buf, int off, int len) {
        if (len < 12) return -1;
        int pos = 12 + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (pos + 4 > len) return -1;
            pos += 4 + 4 * BigEndian.u16(buf, off + pos + 2);
        }
        return pos <= len ? pos : -1;
    }
}
