package live.cascade.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few series of the node's {@code /metrics} the load tool reports: the RTP packets the node received (with one
 * publisher and viewers that send only RTCP, the publisher's packets: what each viewer should receive), the node's own drops (every {@code cascade_media_packets_total} counter
 * named {@code drop.*}), the WHEP sessions it holds, the JVM's GC pauses, its heap in use and its direct buffers.
 */
record NodeMetrics(double publisherRtp, double drops, double gcPauseSeconds, double gcPauses, double gcPauseMaxSeconds,
                   double viewerSessions, double heapUsedBytes, double directBufferBytes,
                   java.util.Map<String, Double> dropsByReason) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LINE = Pattern.compile("(?m)^([a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+|NaN)$");

    /** The drop reasons that rose since {@code earlier}, with how much. */
    String dropsSince(NodeMetrics earlier) {
        StringBuilder b = new StringBuilder();
        dropsByReason.forEach((reason, v) -> {
            double d = v - earlier.dropsByReason.getOrDefault(reason, 0.0);
            if (d > 0) b.append(b.isEmpty() ? "" : ", ").append(reason).append(' ').append((long) d);
        });
        return b.isEmpty() ? "none" : b.toString();
    }

    /**
     * The node's {@code cascade_viewer_bwe_viewers} buckets that hold viewers, e.g. {@code "2M_4M 58, unknown 2"}, or
     * {@code "none"} (estimation off, or no viewer).
     */
    static String viewerEstimates(String baseUrl) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder b = new StringBuilder();
            Matcher m = Pattern.compile("(?m)^cascade_viewer_bwe_viewers\\{estimate=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$").matcher(body);
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                if (v > 0) b.append(b.isEmpty() ? "" : ", ").append(m.group(1)).append(' ').append((long) v);
            }
            return b.isEmpty() ? "none" : b.toString();
        } catch (Exception e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    static NodeMetrics scrape(String baseUrl) {
        String body;
        try {
            body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return new NodeMetrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    java.util.Map.of());
        }
        double fanOut = 0, drops = 0, gcSum = 0, gcCount = 0, gcMax = 0, viewers = Double.NaN, heap = 0, direct = 0;
        java.util.Map<String, Double> byReason = new java.util.TreeMap<>();
        Matcher m = LINE.matcher(body);
        while (m.find()) {
            String name = m.group(1), labels = m.group(2);
            double v;
            try {
                v = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "cascade_media_packets_total" -> {
                    if (labels.contains("counter=\"RTP_RECEIVED\"")) fanOut += v;
                    if (labels.contains("counter=\"drop.")) {
                        drops += v;
                        byReason.put(labels.replaceAll(".*counter=\"drop\\.([^\"]*)\".*", "$1"), v);
                    }
                }
                case "cascade_media_sessions" -> {
                    if (labels.contains("kind=\"viewer\"")) viewers = v;
                }
                case "jvm_memory_used_bytes" -> {
                    if (labels.contains("area=\"heap\"")) heap += v;
                }
                case "jvm_buffer_memory_used_bytes" -> {
                    if (labels.contains("id=\"direct\"")) direct += v;
                }
                case "jvm_gc_pause_seconds_sum" -> gcSum += v;
                case "jvm_gc_pause_seconds_count" -> gcCount += v;
                case "jvm_gc_pause_seconds_max" -> gcMax = Math.max(gcMax, v);
                default -> { }
            }
        }
        return new NodeMetrics(fanOut, drops, gcSum, gcCount, gcMax, viewers, heap, direct, byReason);
    }
}
