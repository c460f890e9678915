package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** viewer.html: a WHEP player in Chromium. */
public final class Viewer {
    private final TestPage page;

    private Viewer(TestPage page) {
        this.page = page;
    }

    public static Viewer open(Chromium browser) {
        return new Viewer(browser.openTestPage("viewer.html", "viewer"));
    }

    /** POSTs the offer (retrying while the channel answers 409) and applies the answer; returns {location, etag}. */
    public JsonNode play(String whepUrl, boolean readClock) {
        return play(whepUrl, readClock, Map.of());
    }

    /** As {@link #play(String, boolean)} with page options: {@code relay}, {@code stripNack}. */
    public JsonNode play(String whepUrl, boolean readClock, Map<String, Object> options) {
        Map<String, Object> arg = new HashMap<>(options);
        arg.put("whepUrl", whepUrl);
        arg.put("readClock", readClock);
        return page.call("a => window.viewer.play(a)", arg);
    }

    public JsonNode stats() {
        return page.call("() => window.viewer.stats()", null);
    }

    public JsonNode sdp() {
        return page.call("() => window.viewer.sdp()", null);
    }

    /** DELETE on the session URL; returns the HTTP status. */
    public int stop() {
        return page.call("() => window.viewer.stop()", null).asInt();
    }

    /**
     * Each read frame since the last call as [RTP timestamp, receive time in epoch ms, clock age at arrival in ms]
     * (clock-video.js frameLog): with a packet capture, says where a frame's time went between the hops.
     */
    public JsonNode drainFrameLog() {
        return page.call("() => window.viewer.drainFrameLog()", null);
    }

    /** The clock's ages when each read frame's last packet arrived (see clock-video.js watchClock), then forgets them. */
    public List<Long> drainTransitSamples() {
        List<Long> out = new ArrayList<>();
        page.call("() => window.viewer.drainTransitSamples()", null).forEach(n -> out.add(n.asLong()));
        return out;
    }

    /** Glass-to-glass ages (ms) of the clock frames presented since the last call. */
    public List<Long> drainClockSamples() {
        List<Long> out = new ArrayList<>();
        page.call("() => window.viewer.drainClockSamples()", null).forEach(n -> out.add(n.asLong()));
        return out;
    }

    public static long framesDecoded(JsonNode stats) {
        return stats.at("/pc/inbound/video/framesDecoded").asLong();
    }

    public static long audioPackets(JsonNode stats) {
        return stats.at("/pc/inbound/audio/packetsReceived").asLong();
    }

    public static long audioSamples(JsonNode stats) {
        return stats.at("/pc/inbound/audio/totalSamplesReceived").asLong();
    }

    /** Closes the page without a DELETE (its peer connection vanishes), e.g. between the joins of a benchmark. */
    public void close() {
        page.close();
    }

    public String diagnostics() {
        String stats;
        try {
            stats = stats().toPrettyString();
        } catch (AssertionError e) {
            stats = "(unavailable: " + e.getMessage() + ")";
        }
        return "viewer stats: " + stats + "\n" + page.consoleTail();
    }
}
