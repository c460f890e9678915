package live.cascade.signaling.trickle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.Mutator;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.sfu.params.IceParameters;

/**
 * The sdpfrag parser and the restart detector, fed tens of thousands of mutated fragments: a value or an
 * {@link SdpParseException}, nothing else. Re-run a failure with {@code -Dsdpfrag.fuzz.seed=<printed seed>}.
 */
class TrickleFragmentFuzzTest {
    private static final long SEED = Long.getLong("sdpfrag.fuzz.seed", 0x7e1c_4a9bL);
    private static final int ITERATIONS = Integer.getInteger("sdpfrag.fuzz.iterations", 30_000);

    @Test
    void sdpfragParserNeverThrowsAnythingButSdpParseException() {
        System.out.println("TrickleFragmentFuzzTest seed=" + SEED + " iterations=" + ITERATIONS);
        List<String> corpus = new ArrayList<>(Fixtures.ALL_SDPFRAG.stream().map(Fixtures::text).toList());
        corpus.add("a=end-of-candidates\r\n");
        corpus.add(Fixtures.text(Fixtures.FFMPEG));
        Mutator mutator = new Mutator(new Random(SEED), corpus);
        IceParameters current = new IceParameters("sPOD", "VWWLHwp8PfKx5nWopjfqhO++");
        int parsed = 0, rejected = 0, halfRestarts = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutator.next();
            try {
                TrickleFragment f;
                try {
                    f = TrickleFragment.parse(input);
                } catch (SdpParseException e) {
                    rejected++;
                    assertThat(e.getMessage()).isNotBlank();
                    continue;
                }
                parsed++;
                assertThat(TrickleFragment.parse(f.write())).isEqualTo(f);
                try {
                    IceRestartDetector.classify(f, current);
                } catch (SdpParseException e) {
                    halfRestarts++;
                    assertThat(e.getMessage()).contains("ice-");
                }
            } catch (Throwable t) {
                throw new AssertionError("seed " + SEED + ", iteration " + i + ": " + t + "\ninput: \"" + Mutator.escape(input) + "\"", t);
            }
        }
        System.out.println("TrickleFragmentFuzzTest parsed=" + parsed + " rejected=" + rejected + " halfRestarts=" + halfRestarts);
        assertThat(parsed).isGreaterThan(ITERATIONS / 10);
        assertThat(rejected).isGreaterThan(ITERATIONS / 10);
    }
}
