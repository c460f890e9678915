package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** publisher.html: a WHIP publisher in Chromium. */
public final class Publisher {
    public enum Source { CAMERA, CLOCK }

    private final TestPage page;

    private Publisher(TestPage page) {
        this.page = page;
    }

    public static Publisher open(BrowserHarness browser) {
        return new Publisher(browser.open("publisher.html", "publisher"));
    }

    /** POSTs the offer and applies the answer; returns {location, etag}. Fails with the server's answer on non-201. */
    public JsonNode publish(String whipUrl, String streamKey, Source source) {
        return page.call("a => window.publisher.publish(a)",
                Map.of("whipUrl", whipUrl, "key", streamKey, "source", source.name().toLowerCase()));
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
