package live.cascade.sfu.rtp;

import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import live.cascade.sfu.codec.Keyframes;
import live.cascade.sfu.codec.PayloadFormat;
import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.forward.TransportWideSequence;
import live.cascade.sfu.params.HeaderExtensions;
import org.junit.jupiter.api.Test;

/** The RTP parser, extension walk, keyframe detection and rewriter never throw, whatever the input. */
class RtpParserFuzzTest {
    private static final int ITERATIONS = 40_000;
    private static final byte[][] SEEDS = {
            rtp().seq(1).ts(2).payload(0x65, 0x88, 0x80).build(),
            rtp().csrc(5).csrc(6).ext1(1, bytes('0')).ext1(3, bytes(1, 2)).payload(0x7C, 0x85, 0x88).padding(4).build(),
            rtp().ext2(9, bytes(1, 2, 3)).ext2(200, new byte[0]).payload(0x78, 0, 2, 0x67, 0x42, 0, 1, 0x65).build(),
            rtp().extRaw(0xBEDE, 0x10, 0x01, 0xF0).payload(0x90, 0xE0, 0x81, 0x23, 0x05, 0x40, 0x9C).build(),
    };

    @Test
    void parserNeverThrowsAndOkResultsAreSelfConsistent() {
        RtpHeader h = new RtpHeader();
        RtpRewriter rewriter = new RtpRewriter(0x1234, 100, 90_000, new HeaderExtensions(1, 2, 3, 4, 5, 6), "v",
                new TransportWideSequence(0), 0, 0);
        rewriter.setInputExtensions(new HeaderExtensions(1, 3, 5, 7, 9, 11));
        byte[] dst = new byte[2048];
        int[] at = new int[1];
        Fuzz.withSeeds(new long[] {1, 42, 0xC0FFEE}, r -> {
            int ok = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] packet = r.nextInt(3) == 0 ? Fuzz.randomBytes(r, 64) : Fuzz.mutate(r, SEEDS[r.nextInt(SEEDS.length)]);
                if (r.nextInt(4) == 0 && packet.length > 0) packet[0] = (byte) (0x80 | packet[0] & 0x3F); // version 2
                byte[] input = Fuzz.embed(r, packet, at);
                int off = at[0];
                int len = packet.length;
                RtpStatus s = h.parse(input, off, len);
                if (s != RtpStatus.OK) continue;
                ok++;
                assertThat(h.payloadOffset() + h.payloadLength() + h.paddingLength()).isEqualTo(off + len);
                assertThat(h.payloadLength()).isNotNegative();
                for (int id = 0; id < 16; id++) {
                    int found = h.findExtension(id);
                    if (found >= 0) assertThat(found + h.foundExtensionLength()).isLessThanOrEqualTo(off + len);
                }
                for (PayloadFormat f : PayloadFormat.values()) {
                    Keyframes.isKeyframeStart(f, input, h.payloadOffset(), h.payloadLength());
                }
                if (rewriter.rewrite(h, dst, 0, i)) {
                    assertThat(new RtpHeader().parse(dst, 0, rewriter.outLength())).isEqualTo(RtpStatus.OK);
                }
            }
            // the mutations must keep reaching the deep paths, or this test proves little
            assertThat(ok).isGreaterThan(ITERATIONS / 10);
        });
    }

    @Test
    void keyframeDetectionNeverThrowsOnRandomPayloads() {
        Fuzz.withSeeds(new long[] {7}, r -> {
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] p = Fuzz.randomBytes(r, 24);
                for (PayloadFormat f : PayloadFormat.values()) Keyframes.isKeyframeStart(f, p, 0, p.length);
            }
        });
    }

    @Test
    void randomSeedIsReportedOnFailure() {
        try {
            Fuzz.withSeeds(new long[] {99}, (SplittableRandom r) -> { throw new IllegalStateException("boom"); });
        } catch (AssertionError e) {
            assertThat(e).hasMessageContaining("seed 99L");
            return;
        }
        throw new AssertionError("expected a failure");
    }
}
