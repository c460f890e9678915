package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/** publisher.html: a WHIP publisher in Chromium. */
public final class Publisher {
    /** The page's video: the fake camera, the canvas clock, noise, or the clock with a texture that costs bits. */
    public enum Source { CAMERA, CLOCK, NOISE, BUSY_CLOCK, CAMERA_CLOCK }

    private final TestPage page;

    private Publisher(TestPage page) {
        this.page = page;
    }

    public static Publisher open(Chromium browser) {
        return new Publisher(browser.openTestPage("publisher.html", "publisher"));
    }

    /** POSTs the offer and applies the answer; returns {location, etag}. Fails with the server's answer on non-201. */
    public JsonNode publish(String whipUrl, String streamKey, Source source) {
        return publish(whipUrl, streamKey, source, Map.of());
    }

    /**
     * As {@link #publish(String, String, Source)} with page options: {@code relay} ({@link LossyUdpRelay#pageTarget()}),
     * {@code stripNack} (boolean), {@code maxBitrate} (bit/s, as an int or double: Playwright does not pass longs).
     */
    public JsonNode publish(String whipUrl, String streamKey, Source source, Map<String, Object> options) {
        Map<String, Object> arg = new HashMap<>(options);
        arg.put("whipUrl", whipUrl);
        arg.put("key", streamKey);
        arg.put("source", source.name().toLowerCase());
        return page.call("a => window.publisher.publish(a)", arg);
    }

    public JsonNode stats() {
        return page.call("() => window.publisher.stats()", null);
    }

    public JsonNode sdp() {
        return page.call("() => window.publisher.sdp()", null);
    }

    /** DELETE on the session URL; returns the HTTP status. */
    public int stop() {
        return page.call("() => window.publisher.stop()", null).asInt();
    }

    /** Reloads the page: the publishing RTCPeerConnection vanishes without a DELETE. */
    public void reload() {
        page.reload("publisher");
    }

    public long framesEncoded(JsonNode stats) {
        return stats.at("/pc/outbound/video/framesEncoded").asLong();
    }

    /** Closes the page without a DELETE (its peer connection vanishes), e.g. between the joins of a benchmark. */
    public void close() {
        page.close();
    }

    public String diagnostics() {
        return "publisher stats: " + safeStats() + "\n" + page.consoleTail();
    }

    private String safeStats() {
        try {
            return stats().toPrettyString();
        } catch (AssertionError e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }
}
