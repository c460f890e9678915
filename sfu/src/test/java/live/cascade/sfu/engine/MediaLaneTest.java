package live.cascade.sfu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The facade signaling sees: a channel's lane is one worker for the engine's life, and hosts its router there. */
class MediaLaneTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<TrackParameters> TRACKS = List.of(new TrackParameters(MediaKind.AUDIO, "0",
            new Codec(111, "opus", 48_000, 2, "", List.of(), -1), 0x1234, 0, HeaderExtensions.NONE));

    private static MediaEngine engine;

    @BeforeAll
    static void start() {
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0).withWorkerCount(2)
                .withAdvertisedAddresses(List.of(LOOPBACK)));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void aChannelsLaneIsTheWorkerChosenForItForTheEnginesLife() {
        for (String channel : List.of("1", "2", "3", "42", "alice")) {
            MediaLane lane = engine.lane(channel);
            assertThat(engine.lane(channel)).isSameAs(lane);
            assertThat(lane.index()).isEqualTo(engine.workerFor(channel).index());
            assertThat(lane.candidates()).isEqualTo(engine.workerFor(channel).candidates());
            String thread = lane.call(() -> Thread.currentThread().getName());
            assertThat(thread).startsWith("media-worker-" + lane.index());
            assertThat(lane.call(lane::onLane)).isTrue();
            assertThat(lane.onLane()).isFalse();
        }
    }

    @Test
    void aRouterIsHostedOnlyFromItsLanesThread() {
        MediaLane lane = engine.lane("7");
        assertThatThrownBy(() -> lane.hostRouter("7", TRACKS, RouterListener.NONE, RouterConfig.defaults(), Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAHostedRouterClosesItsRouterOnce() {
        MediaLane lane = engine.lane("7");
        HostedRouter hosted = lane.call(() -> lane.hostRouter("7", TRACKS, RouterListener.NONE, RouterConfig.defaults(),
                Duration.ofMillis(10)));
        assertThat(hosted.lane()).isSameAs(lane);
        assertThat(lane.call(hosted.router()::isClosed)).isFalse();

        lane.call(() -> {
            hosted.close();
            hosted.close();
            return null;
        });

        assertThat(lane.call(hosted.router()::isClosed)).isTrue();
    }
}
