package live.cascade.sfu.dtls;

/**
 * Framing check for inbound DTLS datagrams before Bouncy Castle sees them. RFC 6347 4.1.2.7 says invalid records are
 * silently discarded, but BC fails the whole association (and sends the peer a fatal alert) on an encrypted record too
 * short to hold its nonce and tag; one spoofed or corrupted datagram must not end a call.
 */
final class DtlsRecords {
    private static final int HEADER = 13;

    private DtlsRecords() {}

    /**
     * True when the datagram is a sequence of complete DTLS records with a DTLS version, and every record of an
     * epoch above 0 (encrypted) is at least {@code minEncrypted} bytes long.
     */
    static boolean wellFormed(byte[] d, int minEncrypted) {
        int pos = 0;
        if (d.length < HEADER) return false;
        while (pos < d.length) {
            if (d.length - pos < HEADER) return false;
            int type = d[pos] & 0xFF;
            if (type < 20 || type > 25) return false;
            if ((d[pos + 1] & 0xFF) != 0xFE) return false;
            int epoch = (d[pos + 3] & 0xFF) << 8 | (d[pos + 4] & 0xFF);
            int length = (d[pos + 11] & 0xFF) << 8 | (d[pos + 12] & 0xFF);
            if (pos + HEADER + length > d.length) return false;
            if (epoch != 0 && length < minEncrypted) return false;
            pos += HEADER + length;
        }
        return true;
    }
}
