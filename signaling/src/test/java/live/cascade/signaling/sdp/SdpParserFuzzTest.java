package live.cascade.signaling.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.Mutator;
import live.cascade.signaling.negotiation.NegotiationFixtures;
import live.cascade.signaling.negotiation.PlaybackNegotiator;
import live.cascade.signaling.negotiation.PublishAnswer;
import live.cascade.signaling.negotiation.PublishNegotiator;
import live.cascade.sfu.params.TrackParameters;

/**
 * Tens of thousands of inputs mutated from the fixtures: the parser returns a model or throws
 * {@link SdpParseException}, nothing else; whatever it returns writes back to a fixed point and can be negotiated
 * without an exception. Re-run a failure with {@code -Dsdp.fuzz.seed=<printed seed>}.
 */
class SdpParserFuzzTest {
    private static final long SEED = Long.getLong("sdp.fuzz.seed", 0x5dc0_ca5cL);
    private static final int ITERATIONS = Integer.getInteger("sdp.fuzz.iterations", 30_000);

    @Test
    void sdpParserNeverThrowsAnythingButSdpParseException() {
        System.out.println("SdpParserFuzzTest seed=" + SEED + " iterations=" + ITERATIONS);
        Random random = new Random(SEED);
        Mutator mutator = new Mutator(random, Fixtures.ALL_SDP.stream().map(Fixtures::text).toList());
        PublishNegotiator publish = new PublishNegotiator(live.cascade.signaling.negotiation.CodecPreferences.DEFAULT, new Random(SEED));
        PlaybackNegotiator playback = new PlaybackNegotiator(new Random(SEED));
        List<TrackParameters> publisherTracks =
                ((PublishAnswer) publish.negotiate(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), NegotiationFixtures.SERVER)).tracks();
        int parsed = 0, rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutator.next();
            try {
                SessionDescription d = SdpParser.parse(input);
                parsed++;
                String written = SdpWriter.write(d);
                SessionDescription again = SdpParser.parse(written);
                assertThat(SdpWriter.write(again)).isEqualTo(written);
                assertThat(again.media()).isEqualTo(d.media());
                assertThat(again.attributes()).isEqualTo(d.attributes());
                publish.negotiate(d, NegotiationFixtures.SERVER);
                playback.negotiate(d, publisherTracks, NegotiationFixtures.SERVER);
            } catch (SdpParseException e) {
                rejected++;
                assertThat(e.getMessage()).isNotBlank();
                assertThat(e.line()).isBetween(0, input.length() + 1);
            } catch (Throwable t) {
                throw new AssertionError("seed " + SEED + ", iteration " + i + ": " + t + "\ninput: \"" + Mutator.escape(input) + "\"", t);
            }
        }
        System.out.println("SdpParserFuzzTest parsed=" + parsed + " rejected=" + rejected);
        // Both outcomes must be common, or the mutations are not exercising the parser.
        assertThat(parsed).isGreaterThan(ITERATIONS / 10);
        assertThat(rejected).isGreaterThan(ITERATIONS / 10);
    }
}
