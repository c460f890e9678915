package live.cascade.sfu.srtp;

import live.cascade.sfu.params.SrtpProfile;
import org.jitsi.srtp.SrtpPolicy;

/** Jitsi SRTP policies for the DTLS-SRTP protection profiles we negotiate. */
public final class SrtpPolicies {
    private SrtpPolicies() {}

    /** A fresh policy (Jitsi's policy objects are mutable, so never share one between factories). */
    public static SrtpPolicy forProfile(SrtpProfile profile) {
        SrtpPolicy policy = switch (profile) {
            // RFC 5764 4.1.2: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag for both SRTP and SRTCP.
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            // RFC 7714: AEAD, the 16-byte GCM tag is the only authentication; 12-byte salt.
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
        // An SFU legitimately re-sends a sequence number (NACK answered without RTX); send-side replay checks would
        // silently drop those retransmissions.
        policy.setSendReplayEnabled(false);
        return policy;
    }

    /** Bytes SRTP appends to an RTP packet under this profile. */
    public static int rtpOverhead(SrtpProfile profile) {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
    }

    /** Bytes SRTCP appends to an RTCP packet under this profile (tag plus the 4-byte E flag and index). */
    public static int rtcpOverhead(SrtpProfile profile) {
        return rtpOverhead(profile) + 4;
    }
}
