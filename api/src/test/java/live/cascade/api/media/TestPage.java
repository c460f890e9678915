package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import live.cascade.api.harness.Chromium;
import live.cascade.api.http.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One test page in its own browser context, with its console kept for failure messages. */
public final class TestPage {
    private final String file;
    private final Page page;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    public TestPage(String file, Page page) {
        this.file = file;
        this.page = page;
        page.onConsoleMessage(m -> remember(m.type() + ": " + m.text()));
        page.onPageError(e -> remember("pageerror: " + e));
    }

    private void remember(String line) {
        console.add(line);
        if (console.size() > 300) console.removeFirst();
    }

    /** Navigates to the page and waits until its module has defined {@code window[readyGlobal]}. */
    public void load(String readyGlobal) {
        page.navigate(Chromium.TEST_ORIGIN + "/" + file);
        page.waitForFunction("g => window[g] !== undefined", readyGlobal, new Page.WaitForFunctionOptions().setTimeout(15_000));
    }

    /** Reloads the page (every RTCPeerConnection in it vanishes without a DELETE) and waits for its module again. */
    public void reload(String readyGlobal) {
        page.reload();
        page.waitForFunction("g => window[g] !== undefined", readyGlobal, new Page.WaitForFunctionOptions().setTimeout(15_000));
    }

    /**
     * Runs {@code expression} (a function of one argument that may return a promise) in the page and returns its
     * result as JSON. A rejected promise becomes an AssertionError carrying the page's console.
     */
    public JsonNode call(String expression, Object arg) {
        String script = "async arg => JSON.stringify((await (" + expression + ")(arg)) ?? null)";
        try {
            Object result = page.evaluate(script, arg);
            return Json.MAPPER.readTree((String) result);
        } catch (PlaywrightException e) {
            throw new AssertionError(file + ": " + expression + " failed: " + firstLines(e.getMessage()) + "\n" + consoleTail(), e);
        } catch (IOException e) {
            throw new AssertionError(file + ": " + expression + " returned no JSON", e);
        }
    }

    /** Playwright's message without the driver's stack trace. */
    private static String firstLines(String message) {
        if (message == null) return "";
        int stack = message.indexOf("\n  stack=");
        return stack < 0 ? message : message.substring(0, stack);
    }

    public String consoleTail() {
        synchronized (console) {
            List<String> tail = console.subList(Math.max(0, console.size() - 30), console.size());
            return "console of " + file + ":\n  " + String.join("\n  ", tail);
        }
    }

    public Page page() {
        return page;
    }

    /** Closes this page's browser context (its peer connections vanish with it); the browser stays up. */
    public void close() {
        try {
            page.context().close();
        } catch (com.microsoft.playwright.impl.TargetClosedError alreadyClosing) {
            // Playwright may report the context closed while closing it (its route bookkeeping races the close):
            // closed is what was asked for.
        }
    }
}
