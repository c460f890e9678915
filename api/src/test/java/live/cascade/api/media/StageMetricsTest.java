package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.StageTotals;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import org.junit.jupiter.api.Test;

/** The receive pipeline's per-stage counters reach the registry with two bounded labels, and nothing per channel. */
class StageMetricsTest {
    private static final List<TrackParameters> TRACKS = List.of(new TrackParameters(MediaKind.AUDIO, "0",
            new Codec(111, "opus", 48_000, 2, "", List.of(), -1), 0x1111, 0, HeaderExtensions.NONE));

    @Test
    void aRoutersStageCountsAppearPerStageAndOutcomeOnceItTicks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageTotals totals = new StageTotals();
        MediaMetrics.bindStages(totals, registry);
        Router router = new Router("metrics-chan", TRACKS, RouterListener.NONE, RouterConfig.defaults(),
                MediaClock.SYSTEM, new SplittableRandom(1), totals);
        MediaReceiver ingress = router.attachPublisher(new Discard(), TRACKS);

        byte[] opus = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0x11, 0x11, 0x78, 0x01};
        ingress.onRtp(opus, 0, opus.length);
        ingress.onRtp(opus, 0, opus.length); // the same sequence number again
        byte[] stranger = opus.clone();
        stranger[8] = 0x66;
        ingress.onRtp(stranger, 0, stranger.length);
        router.onTick(System.nanoTime());

        assertThat(value(registry, "parse", "in")).isEqualTo(3);
        assertThat(value(registry, "demux", "drop")).isEqualTo(1);
        assertThat(value(registry, "duplicate_filter", "drop")).isEqualTo(1);
        assertThat(value(registry, "history", "out")).isEqualTo(1);
        assertThat(registry.find("cascade_media_stage_packets").functionCounters()).hasSize(8 * 3)
                .allSatisfy(c -> assertThat(c.getId().getTags()).extracting(t -> t.getKey())
                        .containsExactlyInAnyOrder("stage", "outcome"));
        router.close();
    }

    private static double value(SimpleMeterRegistry registry, String stage, String outcome) {
        FunctionCounter c = registry.find("cascade_media_stage_packets").tag("stage", stage).tag("outcome", outcome)
                .functionCounter();
        assertThat(c).as("stage=%s outcome=%s", stage, outcome).isNotNull();
        return c.count();
    }

    private static final class Discard implements MediaTransport {
        @Override public void sendRtp(byte[] buf, int off, int len) { }

        @Override public void sendRtcp(byte[] buf, int off, int len) { }
    }
}
