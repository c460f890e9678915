package live.cascade.bench;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Can the GCM profile (AEAD_AES_128_GCM, RFC 7714) be protected without allocating, through the JDK's own AES/GCM
 * (issue 19)? One 1,200-byte RTP packet protected per operation, two ways:
 * <ul>
 *   <li>{@code JITSI}: what the node runs today, Jitsi SRTP through {@link SrtpSession};</li>
 *   <li>{@code JDK_REUSED_CIPHER}: the best the JDK API allows, one {@link Cipher} kept for the stream, re-initialised
 *       per packet with that packet's IV, {@code updateAAD} over the header and {@code doFinal(ByteBuffer, ByteBuffer)}
 *       into a preallocated buffer. The IV can reach a JDK cipher only inside a new {@link GCMParameterSpec}
 *       (immutable, and it copies the IV array), and the provider builds its GCM state anew on every {@code init};
 *       run with {@code -prof gc} to see what that costs per packet;</li>
 *   <li>{@code JDK_REUSED_CIPHER_ARRAYS}: the same with the array form of {@code doFinal}.</li>
 * </ul>
 * {@code java -jar bench/target/benchmarks.jar GcmCipherBenchmark -prof gc} prints ns and bytes allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GcmCipherBenchmark {
    private static final int HEADER = 12;
    private static final int PAYLOAD = 1_188;
    private static final int TAG = 16;

    @Param({"JITSI", "JDK_REUSED_CIPHER", "JDK_REUSED_CIPHER_ARRAYS"})
    public String impl;

    private final byte[] original = new byte[HEADER + PAYLOAD + TAG];
    private final byte[] work = new byte[HEADER + PAYLOAD + TAG];
    private final byte[] out = new byte[HEADER + PAYLOAD + TAG];
    private final PacketBuffer packet = new PacketBuffer();
    private final byte[] iv = new byte[12];
    private final byte[] salt = new byte[12];
    private SrtpSession session;
    private Cipher cipher;
    private SecretKeySpec key;
    private ByteBuffer in;
    private ByteBuffer sealed;
    private int sequence;

    @Setup
    public void setUp() throws GeneralSecurityException {
        original[0] = (byte) 0x80;
        original[1] = 96;
        original[8] = 0x12; // SSRC 0x12345678
        original[9] = 0x34;
        original[10] = 0x56;
        original[11] = 0x78;
        for (int i = HEADER; i < HEADER + PAYLOAD; i++) original[i] = (byte) (i * 31);
        session = Streams.sessionPair(SrtpProfile.AEAD_AES_128_GCM, 1, false)[0];
        byte[] k = new byte[16];
        for (int i = 0; i < k.length; i++) k[i] = (byte) (7 * i + 1);
        for (int i = 0; i < salt.length; i++) salt[i] = (byte) (11 * i + 3);
        key = new SecretKeySpec(k, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        in = ByteBuffer.wrap(work, HEADER, PAYLOAD);
        sealed = ByteBuffer.wrap(out, HEADER, PAYLOAD + TAG);
    }

    @Benchmark
    public int protect() throws GeneralSecurityException {
        System.arraycopy(original, 0, work, 0, HEADER + PAYLOAD);
        int seq = ++sequence & 0xffff;
        work[2] = (byte) (seq >> 8);
        work[3] = (byte) seq;
        if (impl.equals("JITSI")) {
            PacketBuffer p = packet.wrap(work, 0, HEADER + PAYLOAD);
            try {
                if (session.protectRtp(p) != SrtpStatus.OK) throw new IllegalStateException("protect failed");
                return p.getLength();
            } finally {
                p.release();
            }
        }
        // RFC 7714 section 8.1: IV = salt XOR (00 00 || SSRC || ROC || SEQ); the ROC stays 0 here.
        System.arraycopy(salt, 0, iv, 0, 12);
        for (int i = 0; i < 4; i++) iv[2 + i] ^= work[8 + i];
        iv[10] ^= work[2];
        iv[11] ^= work[3];
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
        cipher.updateAAD(work, 0, HEADER);
        if (impl.equals("JDK_REUSED_CIPHER_ARRAYS")) return cipher.doFinal(work, HEADER, PAYLOAD, out, HEADER);
        in.clear().position(HEADER).limit(HEADER + PAYLOAD);
        sealed.clear().position(HEADER);
        return cipher.doFinal(in, sealed);
    }
}
