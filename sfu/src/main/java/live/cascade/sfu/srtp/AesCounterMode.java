package live.cascade.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES in counter mode with a fresh 16-byte initial counter per call, on the JDK's own AES/CTR (AES-NI, several
 * blocks in flight): the keystream generator of SRTP's AES-CM (RFC 3711 4.1.1).
 *
 * <p>The JCE's only way to move a CTR cipher to a new counter is {@code Cipher.init}, and the standard parameter and
 * key classes hand the provider a fresh copy on every call ({@code IvParameterSpec.getIV()} clones, so does
 * {@code SecretKeySpec.getEncoded()}). Per packet that is garbage, which is the one thing the egress path must not
 * make. So the spec and key here return arrays this object owns: SunJCE reads the counter from it during init and
 * on its post-{@code doFinal} reset, and zeroes the key array after init, which {@link ScratchKey} refills each time.
 * SunJCE also compares the key with the last one and skips the key schedule when it is the same, so a re-init costs a
 * few field writes. The provider is named, not chosen by preference, because this relies on how SunJCE behaves.
 *
 * <p>SunJCE copies input that overlaps its output, so encryption goes through a scratch array and is copied back.
 * Not thread-safe; one instance per sender.
 */
final class AesCounterMode {
    private final Cipher cipher;
    private final byte[] counter = new byte[16];
    private final CounterSpec spec = new CounterSpec(counter);
    private final ScratchKey key;
    private byte[] scratch = new byte[2048];

    AesCounterMode(byte[] aesKey) {
        key = new ScratchKey(aesKey);
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
            cipher.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES/CTR", e);
        }
    }

    /** The initial counter block of the next {@link #apply}: the caller writes it in place. */
    byte[] counter() { return counter; }

    /** XORs the keystream starting at {@link #counter()} onto {@code data[off..off+len)}, in place. */
    void apply(byte[] data, int off, int len) throws GeneralSecurityException {
        if (len == 0) return;
        if (scratch.length < len) scratch = new byte[Math.max(len, scratch.length * 2)]; // jumbo packet: grows once
        cipher.init(Cipher.ENCRYPT_MODE, key, spec);
        cipher.doFinal(data, off, len, scratch, 0);
        System.arraycopy(scratch, 0, data, off, len);
    }

    void destroy() {
        key.destroy();
        Arrays.fill(counter, (byte) 0);
        Arrays.fill(scratch, (byte) 0);
    }

    /** An IV spec whose {@code getIV()} is the live counter array instead of a copy. */
    private static final class CounterSpec extends IvParameterSpec {
        private final byte[] counter;

        CounterSpec(byte[] counter) {
            super(counter);
            this.counter = counter;
        }

        @Override
        public byte[] getIV() { return counter; }
    }

    /** An AES key whose {@code getEncoded()} refills one scratch array (the provider zeroes what it is given). */
    private static final class ScratchKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final transient byte[] key;
        private final transient byte[] handedOut;
        private transient boolean destroyed;

        ScratchKey(byte[] key) {
            this.key = key.clone();
            this.handedOut = new byte[key.length];
        }

        @Override public String getAlgorithm() { return "AES"; }
        @Override public String getFormat() { return "RAW"; }

        @Override
        public byte[] getEncoded() {
            System.arraycopy(key, 0, handedOut, 0, key.length);
            return handedOut;
        }

        @Override
        public void destroy() {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(handedOut, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() { return destroyed; }
    }
}
