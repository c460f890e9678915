package live.cascade.api.media;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright for Java, with fake camera and microphone, for the end-to-end media tests.
 * One instance (one browser) per test class; every {@link #open page} gets its own browser context.
 *
 * <p>The test pages are the static ES modules under {@code src/test/resources/media/}, served by {@code page.route}
 * on {@code http://localhost/} (a secure context, so getUserMedia works; about:blank is not). Their WHIP and WHEP
 * requests therefore go cross-origin to the node on {@code http://127.0.0.1:<port>} and exercise its CORS for real.
 * Chromium 156's Local Network Access would refuse those fetches ("Permission was denied for this request to access
 * the loopback address space"); each context is granted {@code local-network-access} for the test origin.
 *
 * <p>No {@code --allow-loopback-in-peer-connection}: the node advertises its interface addresses (never loopback, unless
 * it has nothing else) and Chromium's host candidates are those same raw addresses, so ICE pairs host to host (measured:
 * {@code fd00::2} to {@code fd00::2} on the build machine). A machine with only a loopback interface would need that flag.
 *
 * <p>Chromium comes from {@code apt-get install chromium} ({@code .ci/run} installs it). When it is missing the tests
 * fail under {@code CI=true} and are skipped, loudly, elsewhere. {@code -Dcascade.chromium=/path} picks another binary.
 */
public final class BrowserHarness implements AutoCloseable {
    /** The origin the test pages are served from (only inside the browser, through page.route). */
    public static final String ORIGIN = "http://localhost";

    static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");

    private final Playwright playwright;
    private final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    private BrowserHarness(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Playwright and Chromium, or fails (CI) / skips (elsewhere) when Chromium is not installed. */
    public static BrowserHarness launch() {
        Path chromium = Path.of(System.getProperty("cascade.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String message = "Chromium not found at " + chromium + ": the WebRTC end-to-end tests need it "
                    + "(apt-get install -y chromium, or -Dcascade.chromium=/path/to/chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
            System.err.println("\n*** SKIPPING browser media tests: " + message + " ***\n");
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium).setHeadless(true).setArgs(CHROMIUM_ARGS));
            return new BrowserHarness(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    public String version() {
        return browser.version();
    }

    /** Opens {@code http://localhost/<file>} (a file under media/ on the test classpath) in a fresh context. */
    public TestPage open(String file, String readyGlobal) {
        BrowserContext context = browser.newContext();
        contexts.add(context);
        // Chromium's Local Network Access blocks a page whose address space is unknown (a page.route response)
        // from fetching loopback (the node on 127.0.0.1) unless the origin holds this permission.
        context.grantPermissions(List.of("local-network-access", "camera", "microphone"),
                new BrowserContext.GrantPermissionsOptions().setOrigin(ORIGIN));
        Page page = context.newPage();
        TestPage testPage = new TestPage(file, page);
        page.route(ORIGIN + "/**", BrowserHarness::serve);
        testPage.load(readyGlobal);
        return testPage;
    }

    private static void serve(Route route) {
        String path = URI.create(route.request().url()).getPath();
        if (path.isEmpty() || path.equals("/")) path = "/index.html";
        byte[] body = resource(path);
        if (body == null) {
            route.fulfill(new Route.FulfillOptions().setStatus(404).setContentType("text/plain").setBody("no " + path));
            return;
        }
        route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(contentType(path)).setBodyBytes(body)
                .setHeaders(Map.of("Cache-Control", "no-store")));
    }

    private static byte[] resource(String path) {
        if (path.contains("..")) return null;
        try (InputStream in = BrowserHarness.class.getResourceAsStream("/media" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".html")) return "text/html; charset=utf-8";
        if (path.endsWith(".js")) return "text/javascript; charset=utf-8";
        return "application/octet-stream";
    }

    /** Closes every page opened so far (their peer connections vanish with them); the browser stays up. */
    public void closePages() {
        for (BrowserContext context : contexts) {
            try {
                context.close();
            } catch (RuntimeException ignored) {
                // the browser may already be gone
            }
        }
        contexts.clear();
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
