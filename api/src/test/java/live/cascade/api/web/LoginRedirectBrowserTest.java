package live.cascade.api.web;

import com.microsoft.playwright.Page;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code next} parameter of the login page only ever leads to a path of this node. Browsers read {@code \} as
 * {@code /} and drop tabs and newlines from URLs, so {@code /\evil.example} and {@code /<tab>/evil.example} are
 * {@code //evil.example}: these log in through the real form and must land on the home page instead.
 */
@Tag("integration")
@Timeout(120)
class LoginRedirectBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static String base;

    @BeforeAll
    static void start() {
        base = bed.base();
    }

    @Test
    void loggingInWithAnOffSiteNextLandsOnTheHomePage() {
        TestNode.Account user = bed.node().signup("redirect_user");
        for (String next : List.of("/%5Cevil.example", "/%09/evil.example")) {
            Page page = bed.chromium().page(base, Chromium.Viewport.DESKTOP, null);
            // Nothing may leave for the other host, even for a moment.
            page.route("**/*", route -> {
                if ("evil.example".equals(java.net.URI.create(route.request().url()).getHost())) route.abort();
                else route.resume();
            });
            page.navigate(base + "/login?next=" + next);
            page.getByLabel("Username or email").fill(user.username());
            page.getByLabel("Password").fill(user.password());
            page.locator("main form button[type=submit]").click();
            page.waitForURL(base + "/");
            assertThat(page.url()).as("after logging in with next=%s", next).isEqualTo(base + "/");
            // Each round has its own context; the extension closes them after the test. Closing one here while its
            // route still intercepts raced Playwright's own bookkeeping (TargetClosedError, once in four runs).
        }
    }

    @Test
    void onlySameOriginPathsAreKeptAsNext() {
        Page page = bed.chromium().page(base, Chromium.Viewport.DESKTOP, null);
        page.navigate(base + "/login");
        List<String> refused = List.of("/\\evil.example", "/\t/evil.example", "/\n/evil.example", "//evil.example",
                "/%5Cevil.example", "/%09/evil.example", "/%2F/evil.example", "https://evil.example/", "javascript:alert(1)",
                "evil.example", "/ /evil.example", "/%E0%A4%A", "");
        for (String next : refused) {
            assertThat(nextPath(page, next)).as("next=%s", next).isEqualTo("/");
        }
        assertThat(nextPath(page, "/dashboard?tab=account")).isEqualTo("/dashboard?tab=account");
        assertThat(nextPath(page, "/c/some-channel#chat")).isEqualTo("/c/some-channel#chat");
        assertThat(nextPath(page, "/studio")).isEqualTo("/studio");
        page.context().close();
    }

    /** The login view's own function, run in the page (where location.origin is the node's). */
    private static String nextPath(Page page, String next) {
        return (String) page.evaluate("async n => (await import('/static/js/views/auth.js')).nextPath(n)", next);
    }
}
