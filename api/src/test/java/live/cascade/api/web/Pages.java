package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import live.cascade.api.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Predicate;

/** What the browser tests read out of the app's pages: player and studio diagnostics, and the video's pixels. */
final class Pages {
    private Pages() {
    }

    static JsonNode json(Object value) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live player's own report (state, protocol, frames decoded from getStats() or the HLS element). */
    static JsonNode player(Page page) {
        return json(page.evaluate("() => { const p = document.querySelector('.player')?.cascadePlayer; return p ? p.stats() : { state: 'absent' }; }"));
    }

    /** The studio's broadcaster report (state, connection, figures from getStats(), ingest health). */
    static JsonNode studio(Page page) {
        return json(page.evaluate("() => document.querySelector('.studio-layout').cascadeStudio.stats()"));
    }

    /**
     * Samples the player's current frame at 64×36: how many pixels are not near-black and the mean luma. A decoder
     * that produced frames but only black ones (a broken keyframe path) fails here while getStats() looks fine.
     */
    static JsonNode pixels(Page page, String videoSelector) {
        return json(page.evaluate("""
                selector => {
                  const v = document.querySelector(selector);
                  const c = document.createElement('canvas');
                  c.width = 64; c.height = 36;
                  const g = c.getContext('2d', { willReadFrequently: true });
                  g.drawImage(v, 0, 0, c.width, c.height);
                  const d = g.getImageData(0, 0, c.width, c.height).data;
                  let lit = 0, sum = 0;
                  for (let i = 0; i < d.length; i += 4) {
                    const y = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
                    sum += y;
                    if (y > 32) lit++;
                  }
                  return { lit, total: d.length / 4, meanLuma: sum / (d.length / 4), width: v.videoWidth, height: v.videoHeight };
                }""", videoSelector));
    }

    /** Polls `read` until `done` holds; fails with the last reading. */
    static JsonNode await(String what, Duration timeout, java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        while (true) {
            last = read.get();
            if (done.test(last)) return last;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + "; last: " + last);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** The session cookie a context got by signing up or logging in through the UI. */
    static String sessionCookie(com.microsoft.playwright.BrowserContext context) {
        return context.cookies().stream().filter(c -> c.name.equals("cascade_session")).map(c -> c.value).findFirst()
                .orElseThrow(() -> new AssertionError("no cascade_session cookie in the context"));
    }
}
