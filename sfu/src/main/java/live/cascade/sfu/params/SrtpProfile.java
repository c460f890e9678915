package live.cascade.sfu.params;

/** The SRTP protection profiles we negotiate in DTLS {@code use_srtp}, in our order of preference. */
public enum SrtpProfile {
    AEAD_AES_128_GCM(0x0007, 16, 12),
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The IANA DTLS-SRTP protection profile id. */
    public int id() { return id; }
    public int keyLength() { return keyLength; }
    public int saltLength() { return saltLength; }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) if (p.id == id) return p;
        throw new IllegalArgumentException("unsupported SRTP profile 0x" + Integer.toHexString(id));
    }
}
