package live.cascade.sfu.srtp;

import java.util.Arrays;
import live.cascade.sfu.params.SrtpProfile;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time set-up of Jitsi SRTP. Left alone, Jitsi benchmarks every AES implementation it knows (tens of thousands of
 * runs per cipher mode) on first use, which takes seconds and would happen on whichever media worker derives the first
 * context. We pick the implementation ourselves (OpenSSL through Jitsi's native library when it loaded, the JDK's
 * SunJCE otherwise) and warm it up once, off the packet path.
 */
public final class SrtpRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(SrtpRuntime.class);
    private static boolean initialized;

    private SrtpRuntime() {}

    public static synchronized void initialize() {
        if (initialized) return;
        initialized = true;
        String implementation = JitsiOpenSslProvider.isLoaded() ? "OpenSSL" : "SunJCE";
        Aes.setFactoryClassName(implementation);
        for (SrtpProfile profile : SrtpProfile.values()) warmUp(profile);
        LOG.info("SRTP uses AES from {}", implementation);
    }

    private static void warmUp(SrtpProfile profile) {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        try (SrtpSession session = new SrtpSession(profile, key, salt, key, salt)) {
            byte[] rtp = Arrays.copyOf(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 64);
            session.protectRtp(new PacketBuffer().wrap(rtp, 0, 12));
            byte[] rtcp = Arrays.copyOf(new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1}, 64);
            session.protectRtcp(new PacketBuffer().wrap(rtcp, 0, 8));
        }
    }
}
