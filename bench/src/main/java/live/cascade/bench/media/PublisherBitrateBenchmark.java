package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.DirectPeers;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Publisher;
import live.cascade.sfu.routing.IngestStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static live.cascade.bench.media.BenchBed.report;

/**
 * How fast a Chromium publisher's upload ramps to its configured maximum. The publisher sends noise (which no encoder
 * can compress, so it spends whatever its target allows) with the video encoding capped at {@code --max} bit/s
 * ({@code sendEncodings maxBitrate}, as an application caps its upload). Its send-side bandwidth estimate only grows
 * when the receiver feeds back what arrived (transport-cc, or REMB): this is the measure of the node's congestion
 * feedback. Sampled every 500 ms for {@code --seconds} from the moment the connection is up:
 * <ul>
 *   <li>sent: outbound-rtp bytesSent rate (media actually sent);</li>
 *   <li>estimate: the selected candidate pair's availableOutgoingBitrate (the sender's bandwidth estimate);</li>
 *   <li>target: outbound-rtp targetBitrate (what the encoder was told).</li>
 * </ul>
 * The same content sent from one page's RTCPeerConnection straight to another page's (Chromium to Chromium,
 * transport-cc feedback from Chromium's receiver) is the floor. Reported: the series, and when each figure first reached 90% of the cap.
 *
 * <p>Run: {@code bench/run PublisherBitrateBenchmark --seconds=10 --max=2500000}
 */
public final class PublisherBitrateBenchmark {
    private PublisherBitrateBenchmark() {}

    record Sample(double atSeconds, long sentBps, long estimateBps, long targetBps) {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 10);
        long max = (long) args.decimal("max", 2_500_000);
        // Round 1 meets a cold node (JIT, FFmpeg starting its first HLS ladder); later rounds show a node that has run.
        int rounds = args.integer("rounds", 1);
        try (BenchBed bed = BenchBed.start(args)) {
            report("publisher bitrate: Chromium %s, cap %d bit/s, %d s; %s", bed.browser.version(), max, seconds, LoadAverage.now());

            for (int round = 1; round <= rounds; round++) {
            Channel channel = bed.media.createChannel("ramp");
            Publisher publisher = Publisher.open(bed.browser);
            try {
                publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.NOISE, Map.of("maxBitrate", (double) max));
                Eventually.await("the publisher is connected", publisher::stats,
                        s -> "connected".equals(s.at("/pc/connectionState").asText()), publisher::diagnostics);
                LoadAverage load = LoadAverage.now();
                List<Sample> series = sample(publisher::stats, seconds);
                Optional<IngestStats> ingest = bed.media.node.server.media().broadcasts().ingestStats(channel.id());
                summarize("server, round " + round + " of " + rounds + " on one node", series, max, load);
                report("publisher bitrate: node's congestion feedback %s (%d transport-cc feedbacks, last REMB %d bit/s), "
                                + "node measured %d bit/s incoming video",
                        ingest.map(IngestStats::congestionFeedback).orElse("?"), ingest.map(IngestStats::transportCcFeedbacks).orElse(-1L),
                        ingest.map(IngestStats::rembBitrate).orElse(-1L),
                        ingest.map(i -> i.track(live.cascade.sfu.params.MediaKind.VIDEO).bitrate()).orElse(-1L));
                for (String line : bed.media.node.get("/metrics", null).body().split("\n")) {
                    if (line.startsWith("#") || line.endsWith(" 0.0") || line.endsWith(" 0")) continue;
                    if (line.contains("drop") || line.contains("late") || line.contains("transport")) report("publisher bitrate: node metric %s", line);
                }
                publisher.stop();
            } finally {
                publisher.close();
            }
            }

            DirectPeers direct = DirectPeers.open(bed.browser);
            try {
                direct.start("noise", null, max, true);
                Eventually.await("the direct peers are connected", direct::senderStats,
                        s -> "connected".equals(s.at("/pc/connectionState").asText()), direct::diagnostics);
                LoadAverage load = LoadAverage.now();
                summarize("floor (Chromium to Chromium)", sample(direct::senderStats, seconds), max, load);
            } finally {
                direct.close();
            }
        }
    }

    /** Both pages put their peer connection's snapshot under {@code /pc} and the time it was taken at {@code /takenAt}. */
    private static List<Sample> sample(Supplier<JsonNode> stats, int seconds) {
        String pc = "/pc";
        List<Sample> out = new ArrayList<>();
        JsonNode first = stats.get();
        JsonNode previous = first;
        long t0 = first.at("/takenAt").asLong();
        while (previous.at("/takenAt").asLong() - t0 < seconds * 1000L) {
            BenchBed.pause(500);
            JsonNode now = stats.get();
            long ms = now.at("/takenAt").asLong() - previous.at("/takenAt").asLong();
            long bytes = now.at(pc + "/outbound/video/bytesSent").asLong() - previous.at(pc + "/outbound/video/bytesSent").asLong();
            out.add(new Sample((now.at("/takenAt").asLong() - t0) / 1000.0, ms <= 0 ? 0 : bytes * 8000 / ms,
                    now.at(pc + "/selectedPair/availableOutgoingBitrate").asLong(), now.at(pc + "/outbound/video/targetBitrate").asLong()));
            previous = now;
        }
        return out;
    }

    private static void summarize(String path, List<Sample> series, long max, LoadAverage load) {
        StringBuilder line = new StringBuilder();
        for (Sample s : series) {
            line.append(String.format(" %.1fs:%d/%d/%d", s.atSeconds(), s.sentBps() / 1000, s.estimateBps() / 1000, s.targetBps() / 1000));
        }
        report("publisher bitrate %s series (t: sent/estimate/target kbit/s):%s", path, line);
        long threshold = max * 9 / 10;
        Sample last = series.getLast();
        report("publisher bitrate RESULT %s: sent reached 90%% of %d kbit/s at %s, estimate at %s, target at %s; "
                        + "after %.0f s: sent %d, estimate %d, target %d kbit/s; %s (at start: %s)", path, max / 1000,
                first(series, threshold, Sample::sentBps), first(series, threshold, Sample::estimateBps),
                first(series, threshold, Sample::targetBps), last.atSeconds(), last.sentBps() / 1000, last.estimateBps() / 1000,
                last.targetBps() / 1000, LoadAverage.now(), load);
    }

    private static String first(List<Sample> series, long threshold, java.util.function.ToLongFunction<Sample> f) {
        for (Sample s : series) if (f.applyAsLong(s) >= threshold) return String.format("%.1f s", s.atSeconds());
        return "never";
    }
}
