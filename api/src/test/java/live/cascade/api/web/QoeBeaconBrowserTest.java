package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.MediaNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25, player QoE: the web player in a real Chromium, watching an FFmpeg broadcast over WebRTC, sends its startup
 * beacon once the first frame is decoded and a last one when the viewer leaves; both land in the node's series
 * (startup histogram, watch time, frames, and the live channel's startup gauge), in the channel's QoE API and on the
 * creator's analytics page.
 */
@Tag("integration")
@Timeout(240)
class QoeBeaconBrowserTest {
    static final Duration MEDIA = Duration.ofSeconds(60);

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();

    static String metrics() {
        return bed.node().get("/metrics", null).body();
    }

    static double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static void awaitMetric(String what, String series, java.util.function.DoublePredicate done) {
        long deadline = System.nanoTime() + MEDIA.toNanos();
        double v;
        while (!done.test(v = metric(series))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + " (" + series + " = " + v + "); qoe series:\n"
                        + metrics().lines().filter(l -> l.startsWith("cascade_qoe")).toList());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aRealPlayersBeaconsLandInTheMetricsTheQoeApiAndTheAnalyticsPage() throws InterruptedException {
        TestNode node = bed.node();
        String base = node.url("");
        MediaNode.Channel channel = bed.media().createChannel("qoe");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.start(channel.whipUrl(), channel.streamKey(), 120)) {
            // FFmpeg's WHIP handshake can take long on a loaded machine: the broadcast first, then the viewer.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!node.get("/api/channels/" + channel.slug(), null).json().at("/live").asBoolean()) {
                if (System.nanoTime() > deadline) throw new AssertionError("FFmpeg's broadcast never went live:\n" + ffmpeg.diagnostics());
                Thread.sleep(250);
            }
            Page viewer = bed.chromium().page(base, Chromium.Viewport.DESKTOP, null);
            viewer.navigate(base + "/c/" + channel.slug());
            JsonNode playing = Pages.await("the player plays over WebRTC and has sent its startup beacon", MEDIA, () -> Pages.player(viewer),
                    s -> "live".equals(s.at("/state").asText()) && s.at("/qoe/startup/startupMs").isNumber()
                            && "udp".equals(s.at("/qoe/last/path").asText()));
            assertThat(playing.at("/protocol").asText()).isEqualTo("webrtc");
            JsonNode first = playing.at("/qoe/startup");
            assertThat(first.at("/channel").asText()).isEqualTo(channel.slug());
            assertThat(first.at("/protocol").asText()).isEqualTo("webrtc");
            assertThat(playing.at("/qoe/last/path").asText()).as("the selected pair's path, from getStats()").isEqualTo("udp");
            long startupMs = first.at("/startupMs").asLong();
            assertThat(startupMs).as("connect attempt to first decoded frame (ms)").isBetween(1L, 120_000L);
            System.out.printf("[qoe] the player reported a startup of %d ms over WebRTC%n", startupMs);

            awaitMetric("the startup beacon is counted", "cascade_qoe_startup_seconds_count{protocol=\"webrtc\"}", v -> v >= 1);
            assertThat(metric("cascade_qoe_startup_seconds_sum{protocol=\"webrtc\"}")).isCloseTo(startupMs / 1000.0,
                    org.assertj.core.data.Offset.offset(0.002));
            awaitMetric("the live channel's startup gauge has the play", "cascade_qoe_channel_startup_seconds{channel=\""
                    + channel.slug() + "\",quantile=\"0.5\"}", v -> Math.abs(v - startupMs / 1000.0) < 0.002);

            // Watch a few seconds, then leave: the page's last beacon carries the time played and the frames.
            Pages.await("the player has decoded 90 frames", MEDIA, () -> Pages.player(viewer), s -> s.at("/framesDecoded").asLong() >= 90);
            // 90 frames can arrive within a second when a join's GOP catch-up comes fast; the player counts watch time
            // once a second, so give it two more seconds of playing before the page leaves (a CI run saw 0.999 s).
            viewer.waitForTimeout(2000);
            viewer.navigate("about:blank");
            awaitMetric("the leaving page's beacon adds its watch time", "cascade_qoe_watch_seconds_total{protocol=\"webrtc\"}", v -> v >= 1);
            assertThat(metric("cascade_qoe_frames_total{outcome=\"decoded\",protocol=\"webrtc\"}")).as("frames decoded after the first")
                    .isGreaterThanOrEqualTo(30);
            assertThat(metric("cascade_qoe_beacons_refused_total{reason=\"invalid\"}")).as("the player's beacons are all valid").isZero();

            JsonNode qoe = node.get("/api/analytics/channels/" + channel.slug() + "/qoe", channel.ownerToken()).json().at("/qoe");
            assertThat(qoe.at("/plays/webrtc").asLong()).isEqualTo(1);
            assertThat(qoe.at("/playsByPath/udp").asLong()).isEqualTo(1);
            assertThat(qoe.at("/startup/p50Ms").asLong()).isEqualTo(startupMs);
            assertThat(qoe.at("/watchSeconds").asDouble()).isGreaterThan(0);
            assertThat(qoe.at("/bitrateKbps").asInt()).as("bits received over time played").isPositive();

            Page dashboard = bed.chromium().page(base, Chromium.Viewport.DESKTOP, channel.ownerToken());
            dashboard.navigate(base + "/dashboard?tab=overview");
            assertThat(dashboard.locator("tr[data-channel='" + channel.slug() + "'] td[data-qoe='startup']"))
                    .containsText("(1 plays)", new LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
            assertThat(dashboard.locator("tr[data-channel='" + channel.slug() + "'] td[data-qoe='rebuffering']")).containsText("%");
            assertThat(bed.chromium().errors()).as("console errors and uncaught exceptions").isEmpty();
        }
    }
}
