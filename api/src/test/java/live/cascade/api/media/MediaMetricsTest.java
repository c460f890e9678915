package live.cascade.api.media;

import live.cascade.api.TestNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media counters in {@code /metrics} survive a garbage collection: Micrometer holds their source only weakly, so
 * the node must. A WHIP offer creates a transport on the media worker, which {@code TRANSPORTS_CREATED} counts; no
 * media has to flow (MediaCountersTest covers packets with a real publisher).
 */
class MediaMetricsTest {
    @Test
    void transportCountersStillCountAfterAGarbageCollection() throws Exception {
        try (TestNode node = new TestNode()) {
            TestNode.Account owner = node.signup("metrics_owner");
            String key = node.post("/api/channels", owner.token(), map("slug", "metricschan", "title", "M", "category", "Test"))
                    .json().at("/streamKey").asText();
            long before = counterAfterGc(node, "TRANSPORTS_CREATED");

            HttpResponse<String> whip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url("/api/whip")))
                    .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(fixture("chromium-publisher-offer.sdp"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(whip.statusCode()).as(whip.body()).isEqualTo(201);

            Thread.sleep(700); // one scrape snapshot serves 500 ms
            assertThat(counterAfterGc(node, "TRANSPORTS_CREATED")).isEqualTo(before + 1);
        }
    }

    static long counterAfterGc(TestNode node, String name) {
        System.gc();
        String metrics = node.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^cascade_media_packets_total\\{counter=\"" + Pattern.quote(name) + "\"} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("cascade_media_packets_total{counter=\"%s\"} in /metrics", name).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = MediaMetricsTest.class.getResourceAsStream("/whip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
