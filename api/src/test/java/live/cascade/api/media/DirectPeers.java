package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * direct.html: two RTCPeerConnections in one page, the sender's canvas (clock or noise) going straight to the
 * receiver's {@code <video>} with no server: the floor the server path is compared with.
 */
public final class DirectPeers {
    private final TestPage page;

    private DirectPeers(TestPage page) {
        this.page = page;
    }

    public static DirectPeers open(BrowserHarness browser) {
        return new DirectPeers(browser.open("direct.html", "direct"));
    }

    /**
     * @param source     {@code clock} or {@code noise}
     * @param codec      mimeType to prefer (what the server path negotiated, e.g. {@code video/VP8}), or null
     * @param maxBitrate the video encoding's cap in bit/s, or 0 for none
     */
    public void start(String source, String codec, long maxBitrate) {
        Map<String, Object> arg = new HashMap<>();
        arg.put("source", source);
        arg.put("codec", codec);
        // Playwright passes numbers as int or double, not long.
        if (maxBitrate > 0) arg.put("maxBitrate", (double) maxBitrate);
        page.call("a => window.direct.start(a)", arg);
    }

    /** {takenAt, presentedFrames, clockUnreadable, sender: snapshot, receiver: snapshot}. */
    public JsonNode stats() {
        return page.call("() => window.direct.stats()", null);
    }

    public List<Long> drainClockSamples() {
        List<Long> out = new ArrayList<>();
        page.call("() => window.direct.drainClockSamples()", null).forEach(n -> out.add(n.asLong()));
        return out;
    }

    public void close() {
        page.call("() => window.direct.stop()", null);
        page.close();
    }

    public String diagnostics() {
        return page.consoleTail();
    }
}
