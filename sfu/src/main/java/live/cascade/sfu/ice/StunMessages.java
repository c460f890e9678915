package live.cascade.sfu.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The few STUN (RFC 8489) wire operations ICE-lite needs, on plain arrays and without allocation: header and
 * attribute-layout validation, MESSAGE-INTEGRITY and FINGERPRINT checks, and the Binding success response.
 *
 * <p>We write the response ourselves because ice4j's encoder needs a {@code StunStack} and its configuration
 * runtime; decoding of requests is left to ice4j ({@code Message.decode}), with these checks run first so that a
 * malformed datagram is classified before it reaches a general-purpose decoder.
 */
public final class StunMessages {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    public static final int BINDING_ERROR_RESPONSE = 0x0111;

    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;
    public static final int ATTR_FINGERPRINT = 0x8028;

    static final int FINGERPRINT_XOR = 0x5354554E;
    private static final int MI_LENGTH = 20;

    /** Room a Binding success response needs at most (IPv6 XOR-MAPPED-ADDRESS). */
    public static final int MAX_RESPONSE_LENGTH = HEADER_LENGTH + 24 + 24 + 8;

    private StunMessages() {}

    /**
     * The message type when {@code b[0..len)} has a valid STUN header whose length field matches the datagram and
     * whose attributes tile the body exactly; -1 otherwise.
     */
    public static int messageType(byte[] b, int len) {
        if (len < HEADER_LENGTH || (b[0] & 0xC0) != 0) return -1;
        if (readInt(b, 4) != MAGIC_COOKIE) return -1;
        int bodyLength = readU16(b, 2);
        if (bodyLength + HEADER_LENGTH != len || (bodyLength & 3) != 0) return -1;
        int pos = HEADER_LENGTH;
        while (pos < len) {
            if (pos + 4 > len) return -1;
            int next = pos + 4 + ((readU16(b, pos + 2) + 3) & ~3);
            if (next > len) return -1;
            pos = next;
        }
        return readU16(b, 0);
    }

    /** Offset of the first attribute of {@code type}, or -1. Call only on a message {@link #messageType} accepted. */
    public static int findAttribute(byte[] b, int len, int type) {
        int pos = HEADER_LENGTH;
        while (pos + 4 <= len) {
            if (readU16(b, pos) == type) return pos;
            pos += 4 + ((readU16(b, pos + 2) + 3) & ~3);
        }
        return -1;
    }

    /** FINGERPRINT must be the last attribute and equal CRC-32 of everything before it, xor 0x5354554E. */
    public static boolean fingerprintMatches(byte[] b, int len, int fpOffset, CRC32 crc) {
        if (fpOffset < HEADER_LENGTH || fpOffset + 8 != len || readU16(b, fpOffset + 2) != 4) return false;
        crc.reset();
        crc.update(b, 0, fpOffset);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == readInt(b, fpOffset + 4);
    }

    /**
     * Checks MESSAGE-INTEGRITY at {@code miOffset} against the credential's key. The HMAC covers the message up to
     * the attribute with the header length rewritten to end just after it (RFC 8489 14.5), so the length field is
     * patched for the computation and restored afterwards.
     *
     * @param scratch at least 20 bytes, reused by the caller
     */
    public static boolean integrityMatches(byte[] b, int len, int miOffset, IceCredential credential, byte[] scratch) {
        if (miOffset < HEADER_LENGTH || miOffset + 4 + MI_LENGTH > len || readU16(b, miOffset + 2) != MI_LENGTH) {
            return false;
        }
        byte savedHi = b[2];
        byte savedLo = b[3];
        writeU16(b, 2, miOffset + 4 + MI_LENGTH - HEADER_LENGTH);
        try {
            hmac(credential.mac(), b, miOffset, scratch);
        } finally {
            b[2] = savedHi;
            b[3] = savedLo;
        }
        int diff = 0;
        for (int i = 0; i < MI_LENGTH; i++) diff |= scratch[i] ^ b[miOffset + 4 + i];
        return diff == 0;
    }

    /**
     * Writes a Binding success response to {@code request} into {@code out}: XOR-MAPPED-ADDRESS of the request's
     * source, MESSAGE-INTEGRITY keyed with our password, FINGERPRINT.
     *
     * @return the response length
     */
    public static int writeBindingSuccess(byte[] request, byte[] out, InetSocketAddress mapped,
                                          IceCredential credential, CRC32 crc) {
        writeU16(out, 0, BINDING_SUCCESS_RESPONSE);
        writeInt(out, 4, MAGIC_COOKIE);
        System.arraycopy(request, 8, out, 8, 12);
        int pos = HEADER_LENGTH;

        InetAddress address = mapped.getAddress();
        byte[] raw = address.getAddress();
        boolean v4 = raw.length == 4;
        writeU16(out, pos, ATTR_XOR_MAPPED_ADDRESS);
        writeU16(out, pos + 2, v4 ? 8 : 20);
        out[pos + 4] = 0;
        out[pos + 5] = (byte) (v4 ? 0x01 : 0x02);
        writeU16(out, pos + 6, mapped.getPort() ^ (MAGIC_COOKIE >>> 16));
        // The address is xor'ed with the magic cookie, then (IPv6) with the transaction id, which sits in out[4..20).
        for (int i = 0; i < raw.length; i++) out[pos + 8 + i] = (byte) (raw[i] ^ out[4 + i]);
        pos += 4 + (v4 ? 8 : 20);
        return writeIntegrityAndFingerprint(out, pos, credential, crc);
    }

    /** Room a Binding request of {@link #writeBindingRequest} needs at most (ufrags of up to 64 characters each). */
    public static final int MAX_REQUEST_LENGTH = HEADER_LENGTH + 4 + 132 + 8 + 12 + 4 + 24 + 8;

    /**
     * Writes the Binding request of a controlling ICE agent with aggressive nomination (RFC 8445 7.2.2, RFC 8489):
     * USERNAME {@code remoteUfrag:localUfrag}, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY keyed with
     * the remote password ({@code remote}) and FINGERPRINT.
     *
     * @param transactionId 12 bytes, copied into the header
     * @return the request length
     */
    public static int writeBindingRequest(byte[] out, byte[] transactionId, int transactionOffset, String username,
                                          int priority, long tieBreaker, IceCredential remote, CRC32 crc) {
        writeU16(out, 0, BINDING_REQUEST);
        writeInt(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, transactionOffset, out, 8, 12);
        int pos = HEADER_LENGTH;
        int n = username.length();
        if (n > 128) throw new IllegalArgumentException("USERNAME too long: " + n);
        writeU16(out, pos, ATTR_USERNAME);
        writeU16(out, pos + 2, n);
        for (int i = 0; i < n; i++) out[pos + 4 + i] = (byte) username.charAt(i);
        int padded = (n + 3) & ~3;
        for (int i = n; i < padded; i++) out[pos + 4 + i] = 0;
        pos += 4 + padded;
        writeU16(out, pos, ATTR_PRIORITY);
        writeU16(out, pos + 2, 4);
        writeInt(out, pos + 4, priority);
        pos += 8;
        writeU16(out, pos, ATTR_ICE_CONTROLLING);
        writeU16(out, pos + 2, 8);
        writeInt(out, pos + 4, (int) (tieBreaker >>> 32));
        writeInt(out, pos + 8, (int) tieBreaker);
        pos += 12;
        writeU16(out, pos, ATTR_USE_CANDIDATE);
        writeU16(out, pos + 2, 0);
        pos += 4;
        return writeIntegrityAndFingerprint(out, pos, remote, crc);
    }

    /**
     * Ends a message whose attributes fill {@code out[HEADER_LENGTH..pos)}: MESSAGE-INTEGRITY keyed with
     * {@code credential}, then FINGERPRINT. Each covers the message with the header's length rewritten to end just
     * after it (RFC 8489 14.5, 14.7), so the length field is set before each is computed.
     *
     * @return the message length
     */
    private static int writeIntegrityAndFingerprint(byte[] out, int pos, IceCredential credential, CRC32 crc) {
        writeU16(out, pos, ATTR_MESSAGE_INTEGRITY);
        writeU16(out, pos + 2, MI_LENGTH);
        writeU16(out, 2, pos + 4 + MI_LENGTH - HEADER_LENGTH);
        hmac(credential.mac(), out, pos, out, pos + 4);
        pos += 4 + MI_LENGTH;
        writeU16(out, pos, ATTR_FINGERPRINT);
        writeU16(out, pos + 2, 4);
        writeU16(out, 2, pos + 8 - HEADER_LENGTH);
        crc.reset();
        crc.update(out, 0, pos);
        writeInt(out, pos + 4, (int) crc.getValue() ^ FINGERPRINT_XOR);
        return pos + 8;
    }

    /** True when bytes 8..20 of the message (its transaction id) equal {@code id[off..off+12)}. */
    public static boolean transactionIs(byte[] b, byte[] id, int off) {
        for (int i = 0; i < 12; i++) if (b[8 + i] != id[off + i]) return false;
        return true;
    }

    private static void hmac(Mac mac, byte[] b, int len, byte[] out) {
        hmac(mac, b, len, out, 0);
    }

    private static void hmac(Mac mac, byte[] b, int len, byte[] out, int outOff) {
        mac.update(b, 0, len);
        try {
            mac.doFinal(out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("HMAC output needs 20 bytes", e);
        }
    }

    static int readU16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static void writeU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
