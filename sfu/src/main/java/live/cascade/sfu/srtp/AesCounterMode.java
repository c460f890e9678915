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
 * <p>Even so, a re-init per packet was a quarter of a packet's AES time (argument checks, the key comparison, the
 * mode's reset: about 100 against 75 ns for a 1,228-byte payload in a pinned loop, issue 19). SunJCE's counter mode
 * keeps the spec's array and copies it into its running counter on the reset that ends every {@code doFinal}; so once a
 * packet's counter is written, an empty {@code doFinal} moves the cipher to it, and the one init at construction is the
 * only one. Whether this JDK behaves that way is checked once ({@link #LIVE_COUNTER}, a known-answer comparison against
 * a freshly initialised cipher); where it does not, every packet re-inits as before, so a JDK that copies the IV can
 * never make two packets share a keystream.
 *
 * <p>SunJCE copies input that overlaps its output, so encryption goes through a scratch array and is copied back.
 * Not thread-safe; one instance per sender.
 */
final class AesCounterMode {
    private static final byte[] EMPTY = new byte[0];
    /** Whether an empty {@code doFinal} moves this JDK's AES/CTR to a new counter written into the spec's array. */
    static final boolean LIVE_COUNTER = liveCounterWorks();

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
        if (LIVE_COUNTER) cipher.doFinal(EMPTY, 0, 0, scratch, 0); // its closing reset reads the new counter
        else cipher.init(Cipher.ENCRYPT_MODE, key, spec);
        cipher.doFinal(data, off, len, scratch, 0);
        System.arraycopy(scratch, 0, data, off, len);
    }

    /**
     * The known-answer check behind {@link #LIVE_COUNTER}: two different counters in turn through the empty-doFinal
     * path must give exactly the keystreams a cipher initialised on each gives.
     */
    static boolean liveCounterWorks() {
        try {
            byte[] k = new byte[16];
            for (int i = 0; i < k.length; i++) k[i] = (byte) (31 * i + 7);
            AesCounterMode live = new AesCounterMode(k);
            Cipher reference = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
            for (int round = 1; round <= 2; round++) {
                for (int i = 0; i < 16; i++) live.counter[i] = (byte) (round * 17 + i * 5);
                live.counter[14] = live.counter[15] = 0;
                reference.init(Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(k, "AES"),
                        new IvParameterSpec(live.counter.clone()));
                byte[] expected = reference.doFinal(new byte[100]);
                byte[] got = new byte[100];
                live.cipher.doFinal(EMPTY, 0, 0, live.scratch, 0);
                live.cipher.doFinal(got, 0, got.length, live.scratch, 0);
                if (!Arrays.equals(expected, 0, 100, live.scratch, 0, 100)) return false;
            }
            live.destroy();
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
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
