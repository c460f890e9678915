package live.cascade.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.testkit.RtpPacketBuilder;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.Test;

class AesCmRtpTransformTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int TAIL = 16;

    private final Random random = new Random(11);
    private final byte[] masterKey = bytes(16);
    private final byte[] masterSalt = bytes(14);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** An RTP packet with {@code csrcs} CSRCs, optionally a one-byte-header extension block, and random payload. */
    private byte[] rtp(int ssrc, int seq, int csrcs, boolean extension, int payload) {
        RtpPacketBuilder b = RtpPacketBuilder.rtp().ssrc(ssrc).seq(seq).ts(seq * 3000L).pt(96);
        for (int i = 0; i < csrcs; i++) b.csrc(0x1000 + i);
        if (extension) b.ext1(2, RtpPacketBuilder.bytes(0, 1, 2)).ext1(3, RtpPacketBuilder.bytes(0, 0));
        byte[] plain = b.payload(bytes(payload)).build();
        return Arrays.copyOf(plain, plain.length + TAIL);
    }

    private static int lengthWithoutTail(byte[] packet) { return packet.length - TAIL; }

    @Test
    void derivesTheSessionKeysOfRfc3711AppendixB3() {
        byte[] key = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");

        assertThat(HEX.formatHex(AesCmKeys.derive(key, salt, 0, 16)))
                .isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(HEX.formatHex(AesCmKeys.derive(key, salt, 2, 14)))
                .isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(HEX.formatHex(AesCmKeys.derive(key, salt, 1, 20)))
                .isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    @Test
    void protectsByteForByteAsJitsiSrtpAcrossASequenceWrapAndRetransmissions() throws Exception {
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        SrtpCryptoContext video = jitsiSender(0x1234_5678);
        SrtpCryptoContext audio = jitsiSender(0xCAFE_F00D);

        // Through the wrap of the sequence number (rollover counter 0 -> 1), then retransmissions of packets sent
        // before and after it, which must keep their original indexes.
        int[] seqs = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 65533, 4, 1, 5, 65535, 6};
        for (int i = 0; i < seqs.length; i++) {
            int ssrc = i % 3 == 0 ? 0xCAFE_F00D : 0x1234_5678;
            SrtpCryptoContext theirs = ssrc == 0x1234_5678 ? video : audio;
            byte[] packet = rtp(ssrc, seqs[i], i % 4, i % 2 == 0, i == 5 ? 0 : 100 + 97 * i);
            byte[] copy = packet.clone();
            int len = lengthWithoutTail(packet);

            PacketBuffer mine = new PacketBuffer().wrap(packet, 0, len);
            assertThat(ours.protect(mine)).isEqualTo(SrtpStatus.OK);
            PacketBuffer reference = new PacketBuffer().wrap(copy, 0, len);
            assertThat(theirs.transformPacket(reference)).isEqualTo(SrtpErrorStatus.OK);

            assertThat(mine.getLength()).isEqualTo(len + AesCmRtpTransform.TAG_LENGTH);
            assertThat(mine.getBuffer()).as("in place, into the tail room").isSameAs(packet);
            assertThat(HEX.formatHex(packet, 0, mine.getLength()))
                    .as("packet %d, seq %d", i, seqs[i])
                    .isEqualTo(HEX.formatHex(reference.getBuffer(), 0, reference.getLength()));
        }
    }

    @Test
    void jitsiSrtpReceivesEveryPacketThroughTwoRolloversOfTheSequenceNumber() throws Exception {
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        SrtpCryptoContext receiver = new SrtpContextFactory(false, masterKey, masterSalt,
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80), new LoggerImpl("test"))
                .deriveContext(77, 0);
        byte[] packet = rtp(77, 0, 0, true, 200);
        byte[] plain = packet.clone();
        int len = lengthWithoutTail(packet);
        PacketBuffer buf = new PacketBuffer();
        for (int n = 0; n < 2 * 65536 + 100; n++) {
            int seq = (60000 + n) & 0xFFFF;
            System.arraycopy(plain, 0, packet, 0, packet.length);
            packet[2] = (byte) (seq >>> 8);
            packet[3] = (byte) seq;
            byte[] expected = Arrays.copyOf(packet, len);

            assertThat(ours.protect(buf.wrap(packet, 0, len))).isEqualTo(SrtpStatus.OK);
            SrtpErrorStatus received = receiver.reverseTransformPacket(buf, false);
            if (received != SrtpErrorStatus.OK || !Arrays.equals(packet, 0, buf.getLength(), expected, 0, len)) {
                throw new AssertionError("packet " + n + " (seq " + seq + "): " + received);
            }
        }
    }

    private SrtpCryptoContext jitsiSender(int ssrc) throws Exception {
        return new SrtpContextFactory(true, masterKey, masterSalt,
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                SrtpPolicies.forProfile(SrtpProfile.AES_CM_128_HMAC_SHA1_80), new LoggerImpl("test"))
                .deriveContext(ssrc, 0);
    }

    @Test
    void unprotectsWhatJitsiSrtpProtectsAcrossASequenceWrapInAnyOrderWithinTheWindow() throws Exception {
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        SrtpCryptoContext theirs = jitsiSender(0x0BAD_CAFE);
        // Sent in order through the wrap, delivered with some reordering (each one within the replay window).
        int[] sent = {65520, 65521, 65522, 65523, 65524, 65525, 65526, 65527, 65528, 65529, 65530, 65531, 65532, 65533,
                65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7};
        byte[][] plain = new byte[sent.length][];
        byte[][] secured = new byte[sent.length][];
        int[] lengths = new int[sent.length];
        for (int i = 0; i < sent.length; i++) {
            byte[] packet = rtp(0x0BAD_CAFE, sent[i], i % 3, i % 2 == 1, 40 + 61 * i);
            plain[i] = Arrays.copyOf(packet, lengthWithoutTail(packet));
            PacketBuffer buf = new PacketBuffer().wrap(packet, 0, lengthWithoutTail(packet));
            assertThat(theirs.transformPacket(buf)).isEqualTo(SrtpErrorStatus.OK);
            secured[i] = buf.getBuffer();
            lengths[i] = buf.getLength();
        }
        int[] delivery = {0, 2, 1, 3, 5, 4, 6, 9, 7, 8, 10, 11, 15, 12, 13, 14, 17, 16, 20, 18, 19, 21, 23, 22};
        for (int i : delivery) {
            PacketBuffer buf = new PacketBuffer().wrap(secured[i], 0, lengths[i]);
            assertThat(ours.unprotect(buf, true)).as("seq %d", sent[i]).isEqualTo(SrtpStatus.OK);
            assertThat(Arrays.copyOf(secured[i], buf.getLength())).as("seq %d", sent[i]).isEqualTo(plain[i]);
        }
    }

    @Test
    void refusesReplaysPacketsOlderThanTheWindowAndTamperedPacketsWithoutLearningFromThem() throws Exception {
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        SrtpCryptoContext theirs = jitsiSender(9);
        byte[][] secured = new byte[200][];
        int[] lengths = new int[200];
        for (int seq = 0; seq < 200; seq++) {
            byte[] packet = rtp(9, seq, 0, false, 100);
            PacketBuffer buf = new PacketBuffer().wrap(packet, 0, lengthWithoutTail(packet));
            theirs.transformPacket(buf);
            secured[seq] = buf.getBuffer();
            lengths[seq] = buf.getLength();
        }
        byte[] tampered = secured[0].clone();
        tampered[30] ^= 1;
        assertThat(ours.unprotect(new PacketBuffer().wrap(tampered, 0, lengths[0]), true)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(ours.streams()).as("a forged packet creates no state").isZero();

        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[150].clone(), 0, lengths[150]), true))
                .isEqualTo(SrtpStatus.OK);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[150].clone(), 0, lengths[150]), true))
                .as("the same packet again").isEqualTo(SrtpStatus.REPLAYED);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[150 - 63].clone(), 0, lengths[150 - 63]), true))
                .as("63 behind: inside the window").isEqualTo(SrtpStatus.OK);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[150 - 64].clone(), 0, lengths[150 - 64]), true))
                .as("64 behind: outside the window").isEqualTo(SrtpStatus.REPLAYED);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[150].clone(), 0, lengths[150]), false))
                .as("the replay check off (benchmarks)").isEqualTo(SrtpStatus.OK);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[199].clone(), 0, lengths[199] - 1), true))
                .as("a cut-off tag").isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(ours.unprotect(new PacketBuffer().wrap(secured[199].clone(), 0, 21), true))
                .as("no room for a header and a tag").isEqualTo(SrtpStatus.INVALID);
    }

    @Test
    void refusesHeadersThatOverrunThePacketAndLeavesThemAlone() {
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        byte[] csrcs = rtp(1, 1, 15, false, 0); // 15 CSRCs announced, 72 header bytes...
        byte[] csrcsCopy = csrcs.clone();
        assertThat(ours.protect(new PacketBuffer().wrap(csrcs, 0, 40))).isEqualTo(SrtpStatus.INVALID); // ...40 sent
        assertThat(csrcs).isEqualTo(csrcsCopy);

        byte[] extension = rtp(1, 1, 0, true, 0);
        extension[15] = 9; // the extension block claims 36 bytes; 8 follow
        byte[] extensionCopy = extension.clone();
        assertThat(ours.protect(new PacketBuffer().wrap(extension, 0, 24))).isEqualTo(SrtpStatus.INVALID);
        assertThat(extension).isEqualTo(extensionCopy);
        assertThat(ours.protect(new PacketBuffer().wrap(extension, 0, 11))).isEqualTo(SrtpStatus.INVALID);
    }

    @Test
    void protectsAndUnprotectsWithoutAllocatingOnceTheyHaveSeenTheStream() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        AesCmRtpTransform ours = new AesCmRtpTransform(masterKey, masterSalt);
        AesCmRtpTransform peer = new AesCmRtpTransform(masterKey, masterSalt);
        byte[] template = rtp(5, 0, 0, true, 1200);
        byte[] packet = template.clone();
        int len = lengthWithoutTail(packet);
        PacketBuffer buf = new PacketBuffer();

        long[] allocated = new long[6];
        for (int round = 0; round < allocated.length; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int seq = 1000 * round; seq < 1000 * round + 1000; seq++) {
                System.arraycopy(template, 0, packet, 0, packet.length);
                packet[2] = (byte) (seq >>> 8);
                packet[3] = (byte) seq;
                ours.protect(buf.wrap(packet, 0, len));
                if (peer.unprotect(buf, true) != SrtpStatus.OK) throw new AssertionError("seq " + seq);
            }
            allocated[round] = threads.getThreadAllocatedBytes(thread) - before;
        }
        // The first round meets the stream (its index state) and the JDK's first-use set-up. After that a round may
        // still see a one-off (a JIT deoptimisation materialising an object), but an object per packet would be at
        // least 16 bytes per packet, 16,000 per round, and the steady state is nothing at all.
        String rounds = Arrays.toString(allocated);
        for (int round = 1; round < allocated.length; round++) {
            assertThat(allocated[round]).as("bytes allocated protecting and unprotecting 1,000 packets, per round: %s", rounds)
                    .isLessThan(16 * 1000);
        }
        assertThat(Arrays.stream(allocated).skip(1).min().orElseThrow())
                .as("the quietest round of 1,000 packets allocates nothing: %s", rounds).isZero();
    }
}
