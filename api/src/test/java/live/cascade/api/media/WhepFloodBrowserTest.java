package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.LoopbackHttp;
import live.cascade.api.TestNode.Response;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's WHEP flood with a real viewer: while one address (127.0.0.2) floods a live channel with WHEP offers that
 * never connect, it is held at its cap of sessions still connecting and refused with 429, a Chromium viewer (on
 * 127.0.0.1) of the same channel plays, and a WHIP publish on another channel gets 201.
 */
@Tag("integration")
@Timeout(120)
class WhepFloodBrowserTest {
    private static final int PENDING_PER_IP = 3;

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--whep-pending-per-ip", Integer.toString(PENDING_PER_IP));
    static Chromium browser;
    static MediaNode media;

    @BeforeAll
    static void start() {
        browser = bed.chromium();
        media = bed.media();
    }

    @Test
    void aWhepFloodFromOneAddressIsRefusedWhileAChromiumViewerPlaysAndAnotherChannelStillGoesLive() throws Exception {
        Channel channel = media.createChannel("flood");
        Channel other = media.createChannel("floodother");
        Publisher publisher = Publisher.open(browser);
        publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CAMERA);
        Eventually.await("the publisher is connected and has encoded video", publisher::stats,
                s -> "connected".equals(s.at("/pc/connectionState").asText()) && publisher.framesEncoded(s) > 0, publisher::diagnostics);

        LoopbackHttp flooder = new LoopbackHttp("127.0.0.2", media.node.server.port());
        String path = "/api/whep/" + channel.slug();
        String offer = fixture("chromium-viewer-offer.sdp");
        List<String> admitted = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other5xx = new AtomicInteger();
        AtomicBoolean flooding = new AtomicBoolean(true);
        long floodStart = System.nanoTime();
        Thread flood = Thread.ofPlatform().name("whep-flood").start(() -> {
            while (flooding.get()) {
                Response r = flooder.sendTyped("POST", path, "application/sdp", offer);
                if (r.status() == 201) admitted.add(r.header("Location"));
                else if (r.status() == 429) refused.incrementAndGet();
                else other5xx.incrementAndGet();
            }
        });
        try {
            Viewer viewer = Viewer.open(browser);
            viewer.play(channel.whepUrl(), false);
            JsonNode stats = Eventually.await("the Chromium viewer decodes 30 frames during the flood", viewer::stats,
                    s -> framesDecoded(s) >= 30, () -> viewer.diagnostics() + "\n" + publisher.diagnostics());
            assertThat(stats.at("/pc/inbound/video/frameWidth").asInt()).isPositive();

            Response whip = media.node.send("POST", "/api/whip", null, fixture("chromium-publisher-offer.sdp"),
                    "Content-Type", "application/sdp", "Authorization", "Bearer " + other.streamKey());
            assertThat(whip.status()).as("WHIP on another channel during the flood: " + whip.body()).isEqualTo(201);
            media.node.send("DELETE", whip.header("Location"), null, null, "Authorization", "Bearer " + other.streamKey());
        } finally {
            flooding.set(false);
            flood.join(20_000);
        }
        double seconds = (System.nanoTime() - floodStart) / 1e9;
        System.out.printf("[admission] Chromium viewer played while %s sent %d WHEP offers in %.1f s: %d admitted (the cap, then as"
                        + " reaped ones freed slots), %d refused with 429 (%.0f/s)%n", "127.0.0.2", admitted.size() + refused.get() + other5xx.get(),
                seconds, admitted.size(), refused.get(), refused.get() / seconds);
        assertThat(other5xx.get()).as("no answer other than 201 or 429").isZero();
        assertThat(refused.get()).isPositive();
        // Slots free only as the setup timeout (7 s) reaps offers: at most the cap per reaping round.
        assertThat(admitted.size()).isLessThanOrEqualTo(PENDING_PER_IP * (1 + (int) (seconds / 7)));
        for (String location : admitted) flooder.send("DELETE", location, null);
    }

    private static String fixture(String name) {
        try (InputStream in = WhepFloodBrowserTest.class.getResourceAsStream("/whip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
