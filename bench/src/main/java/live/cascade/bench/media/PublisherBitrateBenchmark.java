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

    /** getStats() period: fine enough to see a probe fail and the estimate creep instead. */
    private static final long SAMPLE_MILLIS = 250;

    /** One getStats() sample: rates, the estimate, and what the receiver's reports told the sender. */
    record Sample(double atSeconds, long sentBps, long estimateBps, long targetBps, double fractionLost, double rttMs,
                  String limitation, String node) {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 10);
        long max = (long) args.decimal("max", 2_500_000);
        // Round 1 meets a cold node (JIT, FFmpeg starting its first HLS ladder); later rounds show a node that has run.
        int rounds = args.integer("rounds", 1);
        // --alternate=true: a floor round after every node round (as the runs that found issue 16), else one at the end.
        boolean alternate = Boolean.parseBoolean(args.text("alternate", "false"));
        try (BenchBed bed = BenchBed.start(args)) {
            report("publisher bitrate: Chromium %s, cap %d bit/s, %d s; %s", bed.browser.version(), max, seconds, LoadAverage.now());

            int stalled = 0;
            for (int round = 1; round <= rounds; round++) {
                if (!nodeRound(bed, round, rounds, seconds, max)) stalled++;
                // The floor between node rounds: the issue's stalls came in runs that alternate the two.
                if (alternate || round == rounds) floorRound(bed, seconds, max);
            }
            report("publisher bitrate RESULT stalled node rounds (estimate never reached %d kbit/s): %d of %d",
                    STALL_THRESHOLD_BPS / 1000, stalled, rounds);
        }
    }

    /** An estimate this far under the cap after the whole round is the stall of issue 16. */
    static final long STALL_THRESHOLD_BPS = 1_500_000;

    /** One publisher on the node; false when its estimate never reached {@link #STALL_THRESHOLD_BPS}. */
    private static boolean nodeRound(BenchBed bed, int round, int rounds, int seconds, long max) {
        Channel channel = bed.media.createChannel("ramp");
        Publisher publisher = Publisher.open(bed.browser);
        try {
            publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.NOISE, Map.of("maxBitrate", (double) max));
            Eventually.await("the publisher is connected", publisher::stats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()), publisher::diagnostics);
            LoadAverage load = LoadAverage.now();
            List<Sample> series = sample(publisher::stats, seconds, () -> nodeSide(bed, channel));
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
            return series.stream().anyMatch(s -> s.estimateBps() >= STALL_THRESHOLD_BPS);
        } finally {
            publisher.close();
        }
    }

    private static void floorRound(BenchBed bed, int seconds, long max) {
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

    /**
     * The node's side of one sample: transport-cc feedbacks sent, packets they reported lost, packets that came after
     * their feedback, the longest feedback interval and the largest stamped delay of the last window (ms).
     */
    private static String nodeSide(BenchBed bed, Channel channel) {
        return bed.media.node.server.media().broadcasts().ingestStats(channel.id())
                .map(i -> String.format("|fb %d lost %d late %d gap %.0f stamp %.1f wait %.1f", i.transportCcFeedbacks(),
                        i.feedback().packetsReportedLost(), i.feedback().latePackets(), i.feedback().maxIntervalMillis(),
                        i.feedback().stampedDelayMillis(), i.feedback().receiveWaitMillis()))
                .orElse("|-");
    }

    /** Both pages put their peer connection's snapshot under {@code /pc} and the time it was taken at {@code /takenAt}. */
    private static List<Sample> sample(Supplier<JsonNode> stats, int seconds) { return sample(stats, seconds, () -> ""); }

    /** {@code node}: what the node says at each sample (empty for the floor). */
    private static List<Sample> sample(Supplier<JsonNode> stats, int seconds, Supplier<String> node) {
        String pc = "/pc";
        List<Sample> out = new ArrayList<>();
        JsonNode first = stats.get();
        JsonNode previous = first;
        long t0 = first.at("/takenAt").asLong();
        while (previous.at("/takenAt").asLong() - t0 < seconds * 1000L) {
            BenchBed.pause(SAMPLE_MILLIS);
            JsonNode now = stats.get();
            long ms = now.at("/takenAt").asLong() - previous.at("/takenAt").asLong();
            long bytes = now.at(pc + "/outbound/video/bytesSent").asLong() - previous.at(pc + "/outbound/video/bytesSent").asLong();
            out.add(new Sample((now.at("/takenAt").asLong() - t0) / 1000.0, ms <= 0 ? 0 : bytes * 8000 / ms,
                    now.at(pc + "/selectedPair/availableOutgoingBitrate").asLong(), now.at(pc + "/outbound/video/targetBitrate").asLong(),
                    now.at(pc + "/remoteInbound/video/fractionLost").asDouble(), now.at(pc + "/remoteInbound/video/roundTripTime").asDouble() * 1000,
                    now.at(pc + "/outbound/video/qualityLimitationReason").asText("?"), node.get()));
            previous = now;
        }
        return out;
    }

    private static void summarize(String path, List<Sample> series, long max, LoadAverage load) {
        StringBuilder line = new StringBuilder();
        for (Sample s : series) {
            line.append(String.format(" %.2fs:%d/%d/%d/%.3f/%.0f/%s%s", s.atSeconds(), s.sentBps() / 1000, s.estimateBps() / 1000,
                    s.targetBps() / 1000, s.fractionLost(), s.rttMs(), s.limitation(), s.node()));
        }
        report("publisher bitrate %s series (t: sent/estimate/target kbit/s/RR fraction lost/RTT ms/limitation"
                + "|node: feedbacks, reported lost, late, max feedback gap ms, max stamped delay ms, max wait in the node ms):%s", path, line);
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
