package live.cascade.api.harness;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.Cookie;
import live.cascade.api.media.TestPage;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Debian's Chromium driven by Playwright for Java, with fake camera and microphone: the one browser of every browser
 * and media test. One instance per test class (see {@link NodeWithBrowser}); every page gets its own context.
 *
 * <p>Two kinds of page:
 * <ul>
 *   <li>{@link #page app pages}: the real web app served by the node (http://127.0.0.1:port is a secure context, so
 *   capture works). Every such page's console errors and uncaught exceptions are collected, so a test can insist
 *   there are none ({@link #errors()}).</li>
 *   <li>{@link #openTestPage test pages}: the static ES modules under {@code src/test/resources/media/}, served by
 *   {@code page.route} on {@link #TEST_ORIGIN} (a secure context too). Their WHIP and WHEP requests go cross-origin to
 *   the node and exercise its CORS for real. Chromium's Local Network Access would refuse those loopback fetches from a
 *   page whose address space is unknown, so each context is granted {@code local-network-access} for that origin.</li>
 * </ul>
 *
 * <p>No {@code --allow-loopback-in-peer-connection}: the node advertises its interface addresses (never loopback,
 * unless it has nothing else) and Chromium's host candidates are those same addresses, so ICE pairs host to host.
 *
 * <p>Chromium comes from {@code apt-get install chromium} ({@code .ci/run} installs it); never a downloaded browser.
 * When it is missing the tests fail under {@code CI=true} and are skipped, loudly, elsewhere.
 * {@code -Dcascade.chromium=/path} picks another binary.
 */
public final class Chromium implements AutoCloseable {
    /** The origin the test pages are served from (only inside the browser, through page.route). */
    public static final String TEST_ORIGIN = "http://localhost";

    static final List<String> ARGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");

    /** Where {@link #screenshot} puts its pictures (kept as test artefacts). */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * Failed loads that are the server's normal answers, which the UI handles and Chromium still logs as console
     * errors: 404 under /hls/ (a live channel whose thumbnail or ladder is not made yet, or a node without HLS), 503 on
     * a master playlist (the ladder's first segments are being made; the player retries), and 404 on the recordings
     * list of a node without recordings. Besides these, only a DELETE of a WHEP/WHIP session that the node ended while
     * the DELETE was on its way is forgiven ({@link EndedSessionDeletes}). Nothing else is.
     */
    public static final Pattern EXPECTED_FAILED_LOAD = Pattern.compile(
            "status of 404 .*\\((https?://[^/]+)?/(hls/|api/recordings)|status of 503 .*\\((https?://[^/]+)?/hls/[^/]+/master\\.m3u8");

    /** The two sizes app pages are looked at in: a laptop and a phone. */
    public enum Viewport {
        DESKTOP(1280, 800), PHONE(390, 844);

        final int width;
        final int height;

        Viewport(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    private final Playwright playwright;
    private final Browser browser;
    private final List<BrowserContext> contexts = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final EndedSessionDeletes endedSessionDeletes = new EndedSessionDeletes();

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Playwright and Chromium, or fails (CI) / skips (elsewhere) when Chromium is not installed. */
    public static Chromium launch() {
        return launch(null);
    }

    /**
     * The same, started through {@code wrapper} (e.g. {@link NetNamespace#wrapper}, which runs Chromium inside a
     * network namespace) when not null.
     */
    public static Chromium launch(Path wrapper) {
        return launch(wrapper, List.of());
    }

    /**
     * The same with {@code extraArgs} after the usual ones, e.g. {@code --unsafely-treat-insecure-origin-as-secure=}
     * for an app page on a namespace's address, which is no secure context otherwise and so gets no camera.
     */
    public static Chromium launch(Path wrapper, List<String> extraArgs) {
        Path chromium = Path.of(System.getProperty("cascade.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String message = "Chromium not found at " + chromium + ": the browser tests need it "
                    + "(apt-get install -y chromium, or -Dcascade.chromium=/path/to/chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
            System.err.println("\n*** SKIPPING browser tests: " + message + " ***\n");
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // A shared 2-core test machine is slow at times; waiting longer costs nothing when things are fast.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        try {
            return new Chromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(wrapper != null ? wrapper : chromium).setHeadless(true)
                    .setArgs(java.util.stream.Stream.concat(ARGS.stream(), extraArgs.stream()).toList())));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    public String version() {
        return browser.version();
    }

    // ---- app pages, served by the node ----

    /** A fresh context (its own cookies) of the given size; {@code sessionToken} signs it in when not null. */
    public BrowserContext context(String baseUrl, Viewport viewport, String sessionToken) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(viewport.width, viewport.height));
        contexts.add(context);
        // Chromium grants these only to a secure context: https, or plain http on loopback. A page the test opens on
        // another address (a namespace's veth) plays but never asks for a camera.
        if (secureContext(baseUrl)) {
            context.grantPermissions(List.of("camera", "microphone", "clipboard-read", "clipboard-write"),
                    new BrowserContext.GrantPermissionsOptions().setOrigin(baseUrl));
        }
        if (sessionToken != null) context.addCookies(List.of(new Cookie("cascade_session", sessionToken).setUrl(baseUrl)));
        context.setDefaultTimeout(20_000);
        context.onPage(this::watch);
        return context;
    }

    private static boolean secureContext(String baseUrl) {
        java.net.URI u = java.net.URI.create(baseUrl);
        String host = u.getHost() == null ? "" : u.getHost();
        return "https".equals(u.getScheme()) || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    /** A page in a fresh context: see {@link #context}. */
    public Page page(String baseUrl, Viewport viewport, String sessionToken) {
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

    /** Forgets the errors seen so far (each test asserts on its own; the extension clears them before each test). */
    public void clearErrors() {
        errors.clear();
    }

    /** Console errors and uncaught exceptions of every app page so far. */
    public List<String> errors() {
        synchronized (errors) {
            return errors.stream().filter(e -> !endedSessionDeletes.forgives(e)).toList();
        }
    }

    /** A viewport-sized screenshot of the top of the page under target/screenshots/, kept as a test artefact. */
    public static Path screenshot(Page page, String name) {
        return screenshot(page, name, null);
    }

    /** Like {@link #screenshot(Page, String)}, scrolled so that the element {@code selector} names is in view. */
    public static Path screenshot(Page page, String name, String selector) {
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

    // ---- test pages, served from the test classpath ----

    /** Opens {@code http://localhost/<file>} (a file under media/ on the test classpath) in a fresh context. */
    public TestPage openTestPage(String file, String readyGlobal) {
        BrowserContext context = browser.newContext();
        contexts.add(context);
        context.grantPermissions(List.of("local-network-access", "camera", "microphone"),
                new BrowserContext.GrantPermissionsOptions().setOrigin(TEST_ORIGIN));
        Page page = context.newPage();
        TestPage testPage = new TestPage(file, page);
        page.route(TEST_ORIGIN + "/**", Chromium::serveTestFile);
        testPage.load(readyGlobal);
        return testPage;
    }

    private static void serveTestFile(Route route) {
        String path = URI.create(route.request().url()).getPath();
        if (path.isEmpty() || path.equals("/")) path = "/index.html";
        byte[] body = testResource(path);
        if (body == null) {
            route.fulfill(new Route.FulfillOptions().setStatus(404).setContentType("text/plain").setBody("no " + path));
            return;
        }
        route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(contentType(path)).setBodyBytes(body)
                .setHeaders(Map.of("Cache-Control", "no-store")));
    }

    private static byte[] testResource(String path) {
        if (path.contains("..")) return null;
        // The web app's own modules (webapp/js/...) as they ship, for test pages that drive them directly.
        String resource = path.startsWith("/webapp/") ? path : "/media" + path;
        try (InputStream in = Chromium.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".html")) return "text/html; charset=utf-8";
        if (path.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (path.endsWith(".json")) return "application/json";
        return "application/octet-stream";
    }

    // ---- lifetime ----

    /** Closes every context opened so far (their pages and peer connections vanish with them); the browser stays up. */
    public void closePages() {
        List<BrowserContext> open;
        synchronized (contexts) {
            open = List.copyOf(contexts);
            contexts.clear();
        }
        for (BrowserContext context : open) {
            try {
                context.close();
            } catch (RuntimeException ignored) {
                // the browser may already be gone; nothing is left to close then
            }
        }
    }

    @Override
    public void close() {
        closePages();
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
