package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.LossyUdpRelay;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.PlaybackWindow;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.routing.RouterStats;
import live.cascade.sfu.routing.TrackStats;
import live.cascade.sfu.routing.ViewerTrackStats;

import java.time.Duration;
import java.util.Map;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Playback through packet loss, with and without NACK/RTX. A {@link LossyUdpRelay} drops a share of the media packets
 * in each direction on both legs (publisher to node, node to viewer); the publisher sends Chromium's fake camera. For
 * each loss rate, two runs: with NACK/RTX as normally negotiated, and without (the publisher's and the viewer's offers
 * lose their {@code a=rtcp-fb:<pt> nack} lines, so nobody asks for retransmissions; PLI stays, so a broken picture
 * is still repaired by the next keyframe). Reported per run, from the viewer's getStats(): frames decoded per second,
 * freezes and time frozen, NACKs and retransmissions; from the publisher: retransmissions sent.
 *
 * <p>Run: {@code bench/run LossBenchmark --seconds=20}
 */
public final class LossBenchmark {
    private LossBenchmark() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 20);
        try (BenchBed bed = BenchBed.start(args)) {
            report("loss: Chromium %s, %d s per run, fake camera; %s", bed.browser.version(), seconds, LoadAverage.now());
            run(bed, 0.0, true, seconds); // the machine's own freezes, for comparison
            for (double loss : new double[] {0.02, 0.05}) {
                for (boolean nack : new boolean[] {true, false}) run(bed, loss, nack, seconds);
            }
        }
    }

    private static void run(BenchBed bed, double loss, boolean nack, int seconds) {
        Channel channel = bed.media.createChannel("loss");
        String label = String.format("%.0f%% loss, %s", loss * 100, nack ? "with NACK/RTX" : "without NACK/RTX");
        try (LossyUdpRelay relay = LossyUdpRelay.inFrontOf(bed.media, loss, loss, 7L, Duration.ofSeconds(seconds + 90))) {
            Map<String, Object> options = Map.of("relay", relay.pageTarget(), "stripNack", !nack);
            Publisher publisher = Publisher.open(bed.browser);
            Viewer viewer = Viewer.open(bed.browser);
            try {
                publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CAMERA, options);
                viewer.play(channel.whepUrl(), false, options);
                Eventually.await("the viewer decodes 30 frames (" + label + ")", Duration.ofSeconds(45), viewer::stats,
                        s -> Viewer.framesDecoded(s) >= 30, () -> viewer.diagnostics() + "\n" + relay.describe());
                JsonNode publisherBefore = publisher.stats();
                LoadAverage load = LoadAverage.now();
                // A stall is a result here, not a failure: allow the whole window.
                PlaybackWindow w = PlaybackWindow.measure(viewer, Duration.ofSeconds(seconds), Duration.ofSeconds(seconds + 5),
                        viewer::diagnostics);
                JsonNode publisherAfter = publisher.stats();
                RouterStats node = bed.media.node.server.media().broadcasts().routerStats(channel.id()).orElseThrow();
                TrackStats in = node.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).findFirst().orElseThrow();
                long retransmittedToViewer = node.viewers().stream().flatMap(v -> v.tracks().stream())
                        .filter(t -> t.kind() == MediaKind.VIDEO).mapToLong(ViewerTrackStats::packetsRetransmitted).sum();
                report("loss RESULT %s: %.1f fps decoded, %d freezes (%.2f s frozen) in %.0f s; viewer NACKs %d, retransmissions "
                                + "received %d, keyframes decoded %d, PLIs sent %d; publisher retransmitted %d; node (whole run) NACKed "
                                + "%d to the publisher, recovered %d, retransmitted %d to the viewer; relay dropped %d of %d up, "
                                + "%d of %d down; %s (at start: %s)",
                        label, w.framesPerSecond(), w.freezes(), w.freezeSeconds(), w.seconds(), w.nacksSent(), w.retransmittedReceived(),
                        delta(w.first(), w.last(), "/pc/inbound/video/keyFramesDecoded"), delta(w.first(), w.last(), "/pc/inbound/video/pliCount"),
                        delta(publisherBefore, publisherAfter, "/pc/outbound/video/retransmittedPacketsSent"),
                        in.nacksRequested(), in.packetsRecovered(), retransmittedToViewer,
                        relay.upDropped.get(), relay.upPackets.get(), relay.downDropped.get(), relay.downPackets.get(),
                        LoadAverage.now(), load);
                viewer.stop();
                publisher.stop();
            } finally {
                viewer.close();
                publisher.close();
            }
        }
    }

    private static long delta(JsonNode before, JsonNode after, String pointer) {
        return after.at(pointer).asLong() - before.at(pointer).asLong();
    }
}
