package live.cascade.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaEngineConfig;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.signaling.Fixtures;
import live.cascade.signaling.negotiation.CodecPreferences;
import live.cascade.signaling.negotiation.NegotiationFixtures;
import live.cascade.signaling.negotiation.PlaybackNegotiator;
import live.cascade.signaling.negotiation.PublishAnswer;
import live.cascade.signaling.negotiation.PublishNegotiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WHIP or WHEP POST negotiates its offer exactly once and creates exactly one transport: the answer is written from
 * that one negotiation with the credentials of the transport that carries the session (there is no throw-away probe
 * negotiation first). Runs a real media engine on loopback; the negotiators draw from seeded generators that count
 * their draws, so a second negotiation would show as twice the draws and as an answer made of later draws.
 */
class OneNegotiationPerOfferTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long SEED = 18;
    private static final ChannelRef CHANNEL = new ChannelRef(7, "alice");

    private MediaEngine engine;
    private CountingRandom publishRandom;
    private CountingRandom playRandom;
    private BroadcastService service;

    @BeforeEach
    void start() {
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0).withWorkerCount(1)
                .withAdvertisedAddresses(List.of(LOOPBACK)));
        publishRandom = new CountingRandom(SEED);
        playRandom = new CountingRandom(SEED);
        service = new BroadcastService(engine, BroadcastSettings.DEFAULTS, new BroadcastListener() {}, BroadcastTapFactory.NONE,
                new PublishNegotiator(CodecPreferences.DEFAULT, publishRandom), new PlaybackNegotiator(playRandom));
    }

    @AfterEach
    void stop() {
        service.close();
        engine.close();
    }

    @Test
    void aWhipPostNegotiatesOnceAndCreatesOneTransport() {
        CountingRandom alone = new CountingRandom(SEED);
        new PublishNegotiator(CodecPreferences.DEFAULT, alone).negotiate(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), NegotiationFixtures.SERVER);
        long created = transportsCreated();

        SessionCreated session = (SessionCreated) service.publish(CHANNEL, Fixtures.text(Fixtures.CHROMIUM_PUBLISHER));

        assertThat(transportsCreated()).isEqualTo(created + 1);
        assertThat(publishRandom.draws).as("draws of the WHIP POST vs one negotiation of its offer").isEqualTo(alone.draws);
        assertThat(originSessionId(session.answerSdp())).isEqualTo(firstSessionId());
    }

    @Test
    void aWhepPostNegotiatesOnceAndCreatesOneTransport() {
        service.publish(CHANNEL, Fixtures.text(Fixtures.CHROMIUM_PUBLISHER));
        PublishAnswer published = NegotiationFixtures.accepted(Fixtures.CHROMIUM_PUBLISHER);
        List<TrackParameters> publisherTracks = published.tracks();
        CountingRandom alone = new CountingRandom(SEED);
        new PlaybackNegotiator(alone).negotiate(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), publisherTracks, NegotiationFixtures.SERVER);
        long created = transportsCreated();

        SessionCreated session = (SessionCreated) service.play(CHANNEL, Fixtures.text(Fixtures.CHROMIUM_VIEWER));

        assertThat(transportsCreated()).isEqualTo(created + 1);
        assertThat(playRandom.draws).as("draws of the WHEP POST vs one negotiation of its offer").isEqualTo(alone.draws);
        assertThat(originSessionId(session.answerSdp())).isEqualTo(firstSessionId());
    }

    private long transportsCreated() {
        return engine.counters().get("TRANSPORTS_CREATED");
    }

    /** The o= session id a negotiator's generator, fresh from the seed, draws first. */
    private static String firstSessionId() {
        return Long.toString(new CountingRandom(SEED).nextLong(1L, 1L << 62));
    }

    private static String originSessionId(String sdp) {
        String origin = sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
        return origin.split(" ")[1];
    }

    /** A seeded generator that counts every 64-bit draw (all of RandomGenerator's draws are made of them). */
    private static final class CountingRandom implements RandomGenerator {
        private final SplittableRandom random;
        int draws;

        CountingRandom(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            draws++;
            return random.nextLong();
        }
    }
}
