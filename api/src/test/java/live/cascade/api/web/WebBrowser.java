package live.cascade.api.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.Cookie;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Debian's Chromium through Playwright for the web app's end-to-end tests, with fake camera and microphone. Unlike
 * the media tests' harness, the pages here are the real app served by the node itself (http://127.0.0.1:port is a
 * secure context, so capture works), and every page's console errors and uncaught exceptions are collected so a test
 * can insist there are none.
 */
final class WebBrowser implements AutoCloseable {
    static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");

    /** The two sizes the issue asks screenshots at: a laptop and a phone. */
    enum Viewport {
        DESKTOP(1280, 800), PHONE(390, 844);

        final int width;
        final int height;

        Viewport(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * Failed loads that are the server's normal answers, which the UI handles and Chromium still logs as console
     * errors: 404 under /hls/ (a live channel whose thumbnail or ladder is not made yet, or a node without HLS),
     * 503 on a master playlist (the ladder's first segments are being made; the player retries), and 404 on the
     * recordings list of a node without recordings. Besides these, only a DELETE of a WHEP/WHIP session that the
     * node ended while the DELETE was on its way is forgiven ({@link EndedSessionDeletes}). Nothing else is.
     */
    static final Pattern EXPECTED_FAILED_LOAD = Pattern.compile(
            "status of 404 .*\\((https?://[^/]+)?/(hls/|api/recordings)|status of 503 .*\\((https?://[^/]+)?/hls/[^/]+/master\\.m3u8");

    private final Playwright playwright;
    private final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final EndedSessionDeletes endedSessionDeletes = new EndedSessionDeletes();

    private WebBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static WebBrowser launch() {
        Path chromium = Path.of(System.getProperty("cascade.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String message = "Chromium not found at " + chromium + ": the web app browser tests need it "
                    + "(apt-get install -y chromium, or -Dcascade.chromium=/path/to/chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
            System.err.println("\n*** SKIPPING web app browser tests: " + message + " ***\n");
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // A shared 2-core test machine is slow at times; waiting longer costs nothing when things are fast.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        try {
            return new WebBrowser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium).setHeadless(true).setArgs(CHROMIUM_ARGS)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh context (its own cookies) of the given size; `sessionToken` signs it in when not null. */
    BrowserContext context(String baseUrl, Viewport viewport, String sessionToken) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(viewport.width, viewport.height));
        contexts.add(context);
        context.grantPermissions(List.of("camera", "microphone", "clipboard-read", "clipboard-write"),
                new BrowserContext.GrantPermissionsOptions().setOrigin(baseUrl));
        if (sessionToken != null) context.addCookies(List.of(new Cookie("cascade_session", sessionToken).setUrl(baseUrl)));
        context.setDefaultTimeout(20_000);
        context.onPage(this::watch);
        return context;
    }

    Page page(String baseUrl, Viewport viewport, String sessionToken) {
        return context(baseUrl, viewport, sessionToken).newPage();
    }

    private void watch(Page page) {
        page.onConsoleMessage(m -> {
            if (!"error".equals(m.type())) return;
            String where = m.location() == null ? "" : m.location();
            if (m.text().startsWith("Failed to load resource") && EXPECTED_FAILED_LOAD.matcher(m.text() + " (" + where + ")").find()) return;
            errors.add("console error on " + page.url() + ": " + m.text() + " (" + where + ")");
        });
        page.onPageError(e -> errors.add("uncaught exception on " + page.url() + ": " + e));
        page.onResponse(endedSessionDeletes::record);
    }

    /** Forgets the errors seen so far (each test asserts on its own). */
    void clearErrors() {
        errors.clear();
    }

    /** Console errors and uncaught exceptions of every page so far. */
    List<String> errors() {
        synchronized (errors) {
            return errors.stream().filter(e -> !endedSessionDeletes.forgives(e)).toList();
        }
    }

    /** A viewport-sized screenshot of the top of the page under api/target/screenshots/, kept as a test artefact. */
    static Path screenshot(Page page, String name) {
        return screenshot(page, name, null);
    }

    /** Like {@link #screenshot(Page, String)}, scrolled so that the element `selector` names is in view. */
    static Path screenshot(Page page, String name, String selector) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        // A background tab may not composite its video frames: bring the page to the front first.
        page.bringToFront();
        if (selector == null) page.evaluate("() => window.scrollTo(0, 0)");
        else page.locator(selector).first().scrollIntoViewIfNeeded();
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
        return file;
    }

    void closeContexts() {
        for (BrowserContext c : contexts) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the browser may already be gone
            }
        }
        contexts.clear();
    }

    @Override
    public void close() {
        closeContexts();
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
