package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Join time: from a viewer's WHEP POST to its first decoded frame, over repeated joins of one live channel. One
 * Chromium publisher (the fake camera, which sends a keyframe only at start and when asked) stays live; each join is
 * a fresh page (fresh browser context, fresh RTCPeerConnection) that POSTs, applies the answer and waits for video.
 * All times are taken inside the viewer page, from the moment the POST is sent:
 * <ul>
 *   <li>answer: the 201 arrived;</li>
 *   <li>connected: the connection state became {@code connected} (ICE checks and the DTLS handshake done);</li>
 *   <li>decoded: the first getStats() poll (every 10 ms) showing framesDecoded > 0;</li>
 *   <li>presented: the first requestVideoFrameCallback of the {@code <video>}.</li>
 * </ul>
 * With the router's GOP cache a joining viewer is sent the cached keyframe and what followed at once; without it, it
 * waits for a keyframe the publisher makes on request (round trip + encode). Goal: decoded p50 under 150 ms.
 *
 * <p>Run: {@code bench/run JoinTimeBenchmark --joins=20 --warmup=10}
 */
public final class JoinTimeBenchmark {
    private JoinTimeBenchmark() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int joins = args.integer("joins", 20);
        // Joins before the measured ones, not counted: a node that has served viewers (JIT-compiled signalling,
        // DTLS and packet path) rather than one that just started. 0 measures the cold node.
        int warmup = args.integer("warmup", 0);
        try (BenchBed bed = BenchBed.start(args)) {
            report("join time: Chromium %s, %d joins after %d warm-up joins; %s", bed.browser.version(), joins, warmup, LoadAverage.now());
            Channel channel = bed.media.createChannel("join");
            Publisher publisher = Publisher.open(bed.browser);
            publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CAMERA);
            Eventually.await("the publisher is connected and encoding", publisher::stats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()) && s.at("/pc/outbound/video/framesEncoded").asLong() > 30,
                    publisher::diagnostics);
            JsonNode publisherBefore = publisher.stats();
            List<Long> answered = new ArrayList<>();
            List<Long> iceConnected = new ArrayList<>();
            List<Long> connected = new ArrayList<>();
            List<Long> decoded = new ArrayList<>();
            List<Long> presented = new ArrayList<>();
            LoadAverage start = LoadAverage.now();
            double[] serverBefore = null;
            for (int i = 1 - warmup; i <= joins; i++) {
                if (i == 1) serverBefore = serverTime(bed);
                Viewer viewer = Viewer.open(bed.browser);
                try {
                    viewer.play(channel.whepUrl(), false);
                    JsonNode s = Eventually.await("join " + i + " decodes and presents its first frame", Duration.ofSeconds(15), viewer::stats,
                            x -> x.at("/firstDecodedAt").isNumber() && x.at("/firstPresentedAt").isNumber(),
                            () -> viewer.diagnostics() + "\n" + publisher.diagnostics());
                    viewer.stop();
                    if (i < 1) continue;
                    long post = s.at("/postAt").asLong();
                    answered.add(s.at("/answeredAt").asLong() - post);
                    iceConnected.add(s.at("/iceConnectedAt").isNumber() ? s.at("/iceConnectedAt").asLong() - post : -1);
                    connected.add(s.at("/connectedAt").isNumber() ? s.at("/connectedAt").asLong() - post : -1);
                    decoded.add(s.at("/firstDecodedAt").asLong() - post);
                    presented.add(s.at("/firstPresentedAt").asLong() - post);
                    report("join %2d: answer %3d ms, connected %4d ms, first decoded %4d ms, first presented %4d ms; keyFramesDecoded %d; %s",
                            i, answered.getLast(), connected.getLast(), decoded.getLast(), presented.getLast(),
                            s.at("/pc/inbound/video/keyFramesDecoded").asLong(), LoadAverage.now());
                } finally {
                    viewer.close();
                }
            }
            JsonNode publisherAfter = publisher.stats();
            report("join time RESULT WHEP POST -> 201: %s", new Distribution(answered));
            report("join time RESULT WHEP POST -> ICE connected: %s", new Distribution(iceConnected));
            report("join time RESULT WHEP POST -> connected (ICE + DTLS): %s", new Distribution(connected));
            report("join time RESULT WHEP POST -> first decoded frame: %s (goal p50 < 150 ms)", new Distribution(decoded));
            report("join time RESULT WHEP POST -> first presented frame: %s", new Distribution(presented));
            report("join time: publisher got %d PLIs and encoded %d keyframes during the joins; %s (at start: %s)",
                    publisherAfter.at("/pc/outbound/video/pliCount").asLong() - publisherBefore.at("/pc/outbound/video/pliCount").asLong(),
                    publisherAfter.at("/pc/outbound/video/keyFramesEncoded").asLong() - publisherBefore.at("/pc/outbound/video/keyFramesEncoded").asLong(),
                    LoadAverage.now(), start);
            double[] serverAfter = serverTime(bed);
            double count = serverAfter[1] - serverBefore[1];
            report("join time: the node's own time for WHEP POST (http_server_requests_seconds): %s",
                    count == 0 ? "not found in /metrics"
                            : String.format("%.0f ms average over %.0f measured POSTs answered 201", 1000 * (serverAfter[0] - serverBefore[0]) / count, count));
            publisher.stop();
        }
    }

    /** Sum of seconds and count of the WHEP POSTs answered 201 so far, from the node's request histogram in /metrics. */
    private static double[] serverTime(BenchBed bed) {
        double sum = 0;
        double count = 0;
        for (String line : bed.media.node.get("/metrics", null).body().lines().toList()) {
            if (!line.startsWith("http_server_requests_seconds_") || !line.contains("whep") || !line.contains("POST")) continue;
            if (!line.contains("status=\"201\"")) continue;
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("http_server_requests_seconds_sum")) sum += value;
            if (line.startsWith("http_server_requests_seconds_count")) count += value;
        }
        return new double[] {sum, count};
    }
}
