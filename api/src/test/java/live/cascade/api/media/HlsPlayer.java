package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** hls-player.html: hls.js in Chromium playing an HLS URL; for the clock publisher it reads the clock off each frame. */
public final class HlsPlayer {
    private final TestPage page;

    private HlsPlayer(TestPage page) {
        this.page = page;
    }

    public static HlsPlayer open(Chromium browser) {
        return new HlsPlayer(browser.openTestPage("hls-player.html", "hlsPlayer"));
    }

    /** Starts playback; returns what MSE supports ({h264, aac, hlsSupported}). */
    public JsonNode play(String url, Map<String, Object> config) {
        return page.call("a => window.hlsPlayer.play(a)", Map.of("url", url, "config", config));
    }

    public JsonNode stats() {
        return page.call("() => window.hlsPlayer.stats()", null);
    }

    public List<Long> drainClockSamples() {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : page.call("() => window.hlsPlayer.drainClockSamples()", null)) out.add(n.asLong());
        return out;
    }

    /** Forces hls.js onto level {@code n} ({@code hls.currentLevel = n}). */
    public void setLevel(int n) {
        page.call("n => window.hlsPlayer.setLevel(n)", n);
    }

    /** Starts a new measurement of the longest gap between presented frames ({@code longestFrameGapMs} in the stats). */
    public void resetGap() {
        page.call("() => window.hlsPlayer.resetGap()", null);
    }

    public void stop() {
        page.call("() => window.hlsPlayer.stop()", null);
    }

    /** Closes the player's page. */
    public void close() {
        page.close();
    }

    public String diagnostics() {
        String s;
        try {
            s = stats().toPrettyString();
        } catch (AssertionError e) {
            s = "(unavailable: " + e.getMessage() + ")";
        }
        return "hls.js player stats: " + s + "\n" + page.consoleTail();
    }
}
