package live.cascade.signaling.negotiation;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import live.cascade.signaling.Fixtures;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.junit.jupiter.api.Test;

import static live.cascade.signaling.negotiation.NegotiationFixtures.SERVER;
import static live.cascade.signaling.negotiation.NegotiationFixtures.SERVER_FINGERPRINT;
import static live.cascade.signaling.negotiation.NegotiationFixtures.SERVER_ICE;
import static live.cascade.signaling.negotiation.NegotiationFixtures.accepted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay offer against the origin's own WHEP negotiation, and the answer read back: the pulling node's publisher
 * tracks must be exactly what the origin will send (SSRCs, payload types, RTX, feedback, extension ids).
 */
class RelayNegotiationTest {
    private static final IceParameters EDGE = new IceParameters("edgeUfrg", "edgePassword0123456789ab");

    private static PlaybackAnswer originAnswers(String publisherFixture) throws Exception {
        List<TrackParameters> publisher = accepted(publisherFixture).tracks();
        PlaybackNegotiation n = new PlaybackNegotiator(new Random(3))
                .negotiate(SdpParser.parse(RelayOffer.write(EDGE, SERVER_FINGERPRINT)), publisher, SERVER);
        assertThat(n).as("the origin's answer to a relay offer").isInstanceOf(PlaybackAnswer.class);
        return (PlaybackAnswer) n;
    }

    private static RelayAnswer read(PlaybackAnswer answer) throws Exception {
        RelayAnswer.Result r = RelayAnswer.read(SdpParser.parse(answer.sdp()));
        assertThat(r).isInstanceOf(RelayAnswer.Read.class);
        return ((RelayAnswer.Read) r).answer();
    }

    @Test
    void aChromiumPublishersStreamIsAnsweredWithItsCodecsAndReadBackAsTheTracksTheOriginSends() throws Exception {
        PlaybackAnswer answer = originAnswers(Fixtures.CHROMIUM_PUBLISHER);
        assertThat(answer.transport().localRole()).as("the origin is the DTLS server (we offered active)").isEqualTo(DtlsRole.SERVER);
        assertThat(answer.transport().remoteIce()).isEqualTo(EDGE);
        RelayAnswer relay = read(answer);

        assertThat(relay.transport().remoteIce()).isEqualTo(SERVER_ICE);
        assertThat(relay.transport().remoteFingerprint()).isEqualTo(SERVER_FINGERPRINT);
        assertThat(relay.transport().localRole()).as("we are the DTLS client").isEqualTo(DtlsRole.CLIENT);
        assertThat(relay.candidates()).containsExactly(new InetSocketAddress("203.0.113.10", 10000),
                new InetSocketAddress("2001:db8::10", 10001));
        assertThat(relay.tracks()).as("the edge's publisher tracks are the origin's tracks toward it")
                .isEqualTo(answer.tracks());
        TrackParameters video = relay.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).findFirst().orElseThrow();
        assertThat(video.codec().rtxPayloadType()).as("RTX on the hop").isPositive();
        assertThat(video.rtxSsrc()).isPositive();
        assertThat(video.codec().rtcpFeedback()).contains("nack", "nack pli");
        assertThat(video.extensions().mid()).as("mid extension id").isEqualTo(4);
    }

    @Test
    void anFfmpegPublishersH264IsMatchedByOneOfTheOfferedProfiles() throws Exception {
        RelayAnswer relay = read(originAnswers(Fixtures.FFMPEG));
        assertThat(relay.tracks()).extracting(t -> t.codec().name().toUpperCase()).contains("H264");
    }

    @Test
    void anAnswerWithoutCandidatesCannotCarryARelay() throws Exception {
        String sdp = originAnswers(Fixtures.CHROMIUM_PUBLISHER).sdp().replaceAll("a=candidate:[^\r]*\r\n", "");
        RelayAnswer.Result r = RelayAnswer.read(SdpParser.parse(sdp));
        assertThat(r).isInstanceOf(RelayAnswer.Failed.class);
        assertThat(((RelayAnswer.Failed) r).failure().detail()).contains("no UDP candidate");
    }
}
