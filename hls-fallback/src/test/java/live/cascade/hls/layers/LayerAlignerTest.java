package live.cascade.hls.layers;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames of one picture from every layer go out together, in presentation order, once no layer can still add to the
 * picture; a layer that skips a picture or falls silent holds the others back at most the wait; a frame whose picture
 * already went is dropped and counted.
 */
class LayerAlignerTest {
    private final List<String> out = new ArrayList<>();
    private final LayerAligner<String> aligner = new LayerAligner<>(3, 300_000, String[]::new, (pts, frames) -> out.add(pts + "=" + Arrays.toString(frames)));

    @Test
    void aPictureGoesOutOnceEveryLayerHasAFrameAtOrAfterIt() {
        aligner.add(2, 0, "f0");
        aligner.add(0, 0, "q0");
        aligner.add(2, 33, "f1");
        assertThat(out).as("h may still bring its frame of picture 0").isEmpty();
        aligner.add(1, 0, "h0");
        assertThat(out).containsExactly("0=[q0, h0, f0]");
        aligner.add(0, 33, "q1");
        aligner.add(1, 66, "h2"); // h skipped picture 33
        assertThat(out).containsExactly("0=[q0, h0, f0]", "33=[q1, null, f1]");
    }

    @Test
    void aSilentLayerHoldsTheOthersBackAtMostTheWait() {
        for (int f = 0; f < 11; f++) {
            aligner.add(0, f * 33_333L, "q" + f);
            aligner.add(2, f * 33_333L, "f" + f);
        }
        assertThat(out).as("within 300 ms of the newest").hasSize(1);
        assertThat(out.getFirst()).isEqualTo("0=[q0, null, f0]");
        aligner.advance(20 * 33_333L);
        assertThat(out).hasSize(11);
        aligner.add(1, 0, "h0");
        assertThat(aligner.late()).isEqualTo(1);
        assertThat(out).hasSize(11);
    }

    @Test
    void flushReleasesEverythingAndClearForgetsIt() {
        aligner.add(0, 0, "q0");
        aligner.add(1, 0, "h0");
        aligner.flush();
        assertThat(out).containsExactly("0=[q0, h0, null]");
        aligner.add(0, 33, "q1");
        aligner.clear();
        assertThat(aligner.held()).isZero();
        aligner.add(0, 0, "q0 again"); // a new publisher's timeline may start anywhere
        assertThat(aligner.late()).isZero();
    }
}
