package live.cascade.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.testkit.RtcpPackets;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;

class AesCmRtcpTransformTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int TAIL = 16;

    private final Random random = new Random(5);
    private final byte[] masterKey = bytes(16);
    private final byte[] masterSalt = bytes(14);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A receiver report (or any RTCP) from {@code ssrc}, {@code body} random bytes after the 8-byte header. */
    private byte[] rtcp(int ssrc, int body) {
        byte[] plain = RtcpPackets.packet(1, 201, ssrc, bytes(body));
        return Arrays.copyOf(plain, plain.length + TAIL);
    }

    private SrtpContextFactory jitsi(boolean sender) {
        return new SrtpContextFactory(sender, masterKey, masterSalt,
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80), new LoggerImpl("test"));
    }

    @Test
    void protectsByteForByteAsJitsiSrtpWithOneIndexPerSsrc() throws Exception {
        AesCmRtcpTransform ours = new AesCmRtcpTransform(masterKey, masterSalt);
        SrtpContextFactory factory = jitsi(true);
        SrtcpCryptoContext first = factory.deriveControlContext(0x1111_2222);
        SrtcpCryptoContext second = factory.deriveControlContext(0xF000_0001);
        for (int i = 0; i < 12; i++) {
            int ssrc = i % 3 == 2 ? 0xF000_0001 : 0x1111_2222;
            byte[] packet = rtcp(ssrc, 4 * (1 + 7 * i));
            byte[] copy = packet.clone();
            int len = packet.length - TAIL;

            PacketBuffer mine = new PacketBuffer().wrap(packet, 0, len);
            assertThat(ours.protect(mine)).isEqualTo(SrtpStatus.OK);
            PacketBuffer reference = new PacketBuffer().wrap(copy, 0, len);
            assertThat((ssrc == 0x1111_2222 ? first : second).transformPacket(reference)).isEqualTo(SrtpErrorStatus.OK);

            assertThat(mine.getLength()).isEqualTo(len + 14);
            assertThat(mine.getBuffer()).as("in place, into the tail room").isSameAs(packet);
            assertThat(HEX.formatHex(packet, 0, mine.getLength())).as("packet %d", i)
                    .isEqualTo(HEX.formatHex(reference.getBuffer(), 0, reference.getLength()));
        }
    }

    @Test
    void unprotectsWhatJitsiSrtpProtectsAndJitsiUnprotectsWhatWeProtect() throws Exception {
        AesCmRtcpTransform ours = new AesCmRtcpTransform(masterKey, masterSalt);
        AesCmRtcpTransform oursToo = new AesCmRtcpTransform(masterKey, masterSalt);
        SrtcpCryptoContext theirSender = jitsi(true).deriveControlContext(42);
        SrtcpCryptoContext theirReceiver = jitsi(false).deriveControlContext(42);
        for (int i = 0; i < 100; i++) {
            byte[] packet = rtcp(42, 24 + 4 * (i % 9));
            byte[] plain = Arrays.copyOf(packet, packet.length - TAIL);

            PacketBuffer buf = new PacketBuffer().wrap(packet, 0, plain.length);
            assertThat(theirSender.transformPacket(buf)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(ours.unprotect(buf, true)).as("Jitsi -> ours, packet %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(Arrays.copyOf(packet, buf.getLength())).isEqualTo(plain);

            assertThat(oursToo.protect(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(theirReceiver.reverseTransformPacket(buf)).as("ours -> Jitsi, packet %d", i)
                    .isEqualTo(SrtpErrorStatus.OK);
            assertThat(Arrays.copyOf(packet, buf.getLength())).isEqualTo(plain);
        }
    }

    @Test
    void refusesReplaysTamperingAndTruncationWithoutLearningFromForgeries() {
        AesCmRtcpTransform sender = new AesCmRtcpTransform(masterKey, masterSalt);
        AesCmRtcpTransform receiver = new AesCmRtcpTransform(masterKey, masterSalt);
        byte[][] secured = new byte[80][];
        int[] lengths = new int[80];
        for (int i = 0; i < 80; i++) {
            byte[] packet = rtcp(7, 24);
            PacketBuffer buf = new PacketBuffer().wrap(packet, 0, packet.length - TAIL);
            sender.protect(buf);
            secured[i] = packet;
            lengths[i] = buf.getLength();
        }
        byte[] tampered = secured[0].clone();
        tampered[12] ^= 1;
        assertThat(receiver.unprotect(new PacketBuffer().wrap(tampered, 0, lengths[0]), true))
                .isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(receiver.streams()).as("a forged packet creates no state").isZero();

        assertThat(receiver.unprotect(new PacketBuffer().wrap(secured[70].clone(), 0, lengths[70]), true))
                .isEqualTo(SrtpStatus.OK);
        assertThat(receiver.unprotect(new PacketBuffer().wrap(secured[70].clone(), 0, lengths[70]), true))
                .as("the same packet again").isEqualTo(SrtpStatus.REPLAYED);
        assertThat(receiver.unprotect(new PacketBuffer().wrap(secured[7].clone(), 0, lengths[7]), true))
                .as("63 behind").isEqualTo(SrtpStatus.OK);
        assertThat(receiver.unprotect(new PacketBuffer().wrap(secured[6].clone(), 0, lengths[6]), true))
                .as("64 behind").isEqualTo(SrtpStatus.REPLAYED);
        assertThat(receiver.unprotect(new PacketBuffer().wrap(secured[79].clone(), 0, 21), true))
                .as("no room for header, index and tag").isEqualTo(SrtpStatus.INVALID);
    }

    @Test
    void protectsAndUnprotectsWithoutAllocatingOnceTheyHaveSeenTheStream() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        AesCmRtcpTransform sender = new AesCmRtcpTransform(masterKey, masterSalt);
        AesCmRtcpTransform receiver = new AesCmRtcpTransform(masterKey, masterSalt);
        byte[] template = rtcp(3, 80);
        byte[] packet = template.clone();
        int len = packet.length - TAIL;
        PacketBuffer buf = new PacketBuffer();

        long[] allocated = new long[6];
        for (int round = 0; round < allocated.length; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(template, 0, packet, 0, packet.length);
                sender.protect(buf.wrap(packet, 0, len));
                if (receiver.unprotect(buf, true) != SrtpStatus.OK) throw new AssertionError("packet " + i);
            }
            allocated[round] = threads.getThreadAllocatedBytes(thread) - before;
        }
        // As for RTP: a one-off may land in a round, an object per packet cannot hide (16,000 bytes per round).
        String rounds = Arrays.toString(allocated);
        for (int round = 1; round < allocated.length; round++) {
            assertThat(allocated[round]).as("bytes per round of 1,000 round trips: %s", rounds).isLessThan(16 * 1000);
        }
        assertThat(Arrays.stream(allocated).skip(1).min().orElseThrow())
                .as("the quietest round allocates nothing: %s", rounds).isZero();
    }
}
