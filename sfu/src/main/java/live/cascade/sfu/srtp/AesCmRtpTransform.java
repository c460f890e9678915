package live.cascade.sfu.srtp;

import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import live.cascade.sfu.rtp.BigEndian;

/**
 * SRTP for RTP packets under {@code AES_CM_128_HMAC_SHA1_80} (RFC 3711 with RFC 5764's profile), in place and without
 * allocating per packet: one instance protects what we send, another (with the peer's keys) unprotects what we
 * receive.
 *
 * <p>Ours rather than Jitsi SRTP's because the protect runs once per packet <em>per viewer</em>: Jitsi re-initialises
 * its JCE cipher with a new {@code IvParameterSpec} and gets each HMAC tag in a new array, about 100 bytes of garbage
 * per packet per viewer. SRTCP and the GCM profile stay with Jitsi. The tests check this class against Jitsi's
 * transform byte for byte, in both directions.
 *
 * <p>Session keys are derived once (RFC 3711 4.3, key derivation rate 0, so they are the same for every SSRC); each
 * SSRC carries only its packet index and, when receiving, a 64-packet replay window. Not thread-safe: the owning
 * media worker's thread only.
 */
final class AesCmRtpTransform {
    static final int TAG_LENGTH = 10;
    static final int REPLAY_WINDOW = 64;
    private static final int SALT_LENGTH = 14;
    private static final int LABEL_ENCRYPTION = 0;
    private static final int LABEL_AUTHENTICATION = 1;
    private static final int LABEL_SALT = 2;

    private final AesCounterMode keystream;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final byte[] rolloverBytes = new byte[4];
    private final byte[] expectedTag = new byte[TAG_LENGTH];
    private final IntObjectHashMap<PacketIndex> streams = new IntObjectHashMap<>();

    AesCmRtpTransform(byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != 16) throw new IllegalArgumentException("AES-CM-128 needs a 16-byte master key");
        if (masterSalt.length != SALT_LENGTH) throw new IllegalArgumentException("AES-CM needs a 14-byte master salt");
        byte[] encryptionKey = derive(masterKey, masterSalt, LABEL_ENCRYPTION, 16);
        byte[] authenticationKey = derive(masterKey, masterSalt, LABEL_AUTHENTICATION, HmacSha1.LENGTH);
        salt = derive(masterKey, masterSalt, LABEL_SALT, SALT_LENGTH);
        keystream = new AesCounterMode(encryptionKey);
        hmac = new HmacSha1(authenticationKey);
        Arrays.fill(encryptionKey, (byte) 0);
        Arrays.fill(authenticationKey, (byte) 0);
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
        PacketIndex index = streams.get(ssrc);
        if (index == null) {
            index = new PacketIndex(seq);
            streams.put(ssrc, index);
        }
        int rollover = index.rolloverFor(seq);
        try {
            crypt(buf, off + header, len - header, ssrc, rollover, seq);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.FAILED;
        }
        index.sent(rollover, seq);

        pkt.grow(TAG_LENGTH);
        buf = pkt.getBuffer();
        tag(buf, off, len, rollover, buf, off + len);
        pkt.setLength(len + TAG_LENGTH);
        return SrtpStatus.OK;
    }

    /**
     * Checks the tag and the replay window, then decrypts in place and drops the tag. State for a new SSRC is created
     * only by a packet that authenticates, so forged SSRCs leave nothing behind.
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
        PacketIndex index = streams.get(ssrc);
        int rollover = index == null ? 0 : index.rolloverFor(seq);
        if (replayCheck && index != null && index.replayed(rollover, seq)) return SrtpStatus.REPLAYED;

        tag(buf, off, len, rollover, expectedTag, 0);
        if (!equalInConstantTime(expectedTag, buf, off + len)) return SrtpStatus.AUTH_FAILED;
        try {
            crypt(buf, off + header, len - header, ssrc, rollover, seq);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.FAILED;
        }
        if (index == null) {
            streams.put(ssrc, new PacketIndex(seq));
        } else {
            index.received(rollover, seq);
        }
        pkt.setLength(len);
        return SrtpStatus.OK;
    }

    /** SSRCs with state: for a receiver, those that sent an authentic packet. */
    int streams() { return streams.size(); }

    boolean knows(int ssrc) { return streams.containsKey(ssrc); }

    void destroy() {
        keystream.destroy();
        hmac.destroy();
        Arrays.fill(salt, (byte) 0);
        streams.clear();
    }

    /** RFC 3711 4.1.1: the keystream starts at (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    private void crypt(byte[] buf, int off, int len, int ssrc, int rollover, int seq) throws GeneralSecurityException {
        byte[] iv = keystream.counter();
        System.arraycopy(salt, 0, iv, 0, SALT_LENGTH);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (rollover >>> 24);
        iv[9] ^= (byte) (rollover >>> 16);
        iv[10] ^= (byte) (rollover >>> 8);
        iv[11] ^= (byte) rollover;
        iv[12] ^= (byte) (seq >>> 8);
        iv[13] ^= (byte) seq;
        iv[14] = 0;
        iv[15] = 0;
        keystream.apply(buf, off, len);
    }

    /** RFC 3711 4.2: HMAC-SHA1 over the packet and the rollover counter, truncated to 80 bits. */
    private void tag(byte[] buf, int off, int len, int rollover, byte[] out, int outOff) {
        BigEndian.put32(rolloverBytes, 0, rollover);
        hmac.start();
        hmac.update(buf, off, len);
        hmac.update(rolloverBytes, 0, 4);
        hmac.finish(out, outOff, TAG_LENGTH);
    }

    private static boolean equalInConstantTime(byte[] expected, byte[] buf, int off) {
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++) difference |= expected[i] ^ buf[off + i];
        return difference == 0;
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

    /**
     * RFC 3711 4.3.1 with a key derivation rate of 0: the session key for {@code label} is the AES-CM keystream under
     * the master key, starting at (master salt XOR label * 2^48) * 2^16.
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, SALT_LENGTH);
        iv[7] ^= (byte) label;
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES/CTR", e);
        }
    }

    /**
     * One SSRC's packet index (RFC 3711 3.3.1): the highest sequence number so far with its rollover counter, and for
     * a receiver which of the 64 indexes below it have arrived. A sequence number is placed in the rollover period
     * that puts it nearest the highest one, so a packet sent or retransmitted around a wrap keeps its true index.
     */
    private static final class PacketIndex {
        private int rollover;
        private int highest;
        /** Bit i set: index (highest - i) has arrived. */
        private long window = 1;

        PacketIndex(int firstSeq) {
            highest = firstSeq;
        }

        int rolloverFor(int seq) {
            if (highest < 0x8000) return seq - highest > 0x8000 ? rollover - 1 : rollover;
            return highest - 0x8000 > seq ? rollover + 1 : rollover;
        }

        private long behind(int packetRollover, int seq) {
            return ((long) rollover << 16 | highest) - ((long) packetRollover << 16 | seq);
        }

        boolean replayed(int packetRollover, int seq) {
            long behind = behind(packetRollover, seq);
            if (behind < 0) return false;
            return behind >= REPLAY_WINDOW || (window >>> behind & 1) != 0;
        }

        void sent(int packetRollover, int seq) {
            if (behind(packetRollover, seq) < 0) {
                rollover = packetRollover;
                highest = seq;
            }
        }

        void received(int packetRollover, int seq) {
            long behind = behind(packetRollover, seq);
            if (behind < 0) {
                window = -behind >= REPLAY_WINDOW ? 1 : window << -behind | 1;
                rollover = packetRollover;
                highest = seq;
            } else if (behind < REPLAY_WINDOW) {
                window |= 1L << behind;
            }
        }
    }
}
