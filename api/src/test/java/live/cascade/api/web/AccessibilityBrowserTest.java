package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality bar of issue 8 that a machine can check: axe-core (vendored from `npm pack axe-core`) finds no serious
 * or critical violation on any page in either theme; nothing scrolls sideways at 360 px; the skip link is the first
 * tab stop; the theme choice survives a reload; and no page logs an error.
 */
@Tag("integration")
@Timeout(150)
class AccessibilityBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account admin;
    static TestNode.Account creator;
    static String axe;

    /** The pages people spend their time on, scanned in the light theme as well. */
    static final List<String> MAIN_PAGES = List.of("/", "/login", "/c/a11y-channel", "/studio", "/dashboard",
            "/dashboard?tab=moderation", "/dashboard?tab=profile");

    /** Every page of the app, with the data above so none of them is an empty shell. */
    static final List<String> PAGES = List.of("/", "/?q=piano", "/category/Music", "/login", "/signup", "/c/a11y-channel",
            "/embed/a11y-channel", "/studio", "/dashboard", "/dashboard?tab=channels", "/dashboard?tab=sessions",
            "/dashboard?tab=recordings", "/dashboard?tab=moderation", "/dashboard?tab=profile", "/dashboard?tab=account",
            "/dashboard?tab=admin", "/dashboard?tab=safety", "/dashboard?tab=visibility", "/terms", "/privacy", "/appeal",
            "/accept-terms");

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        admin = node.signup("a11y_admin");
        creator = node.signup("a11y_creator");
        TestNode.Account fan = node.signup("a11y_fan");
        assertThat(node.post("/api/channels", creator.token(), map("slug", "a11y-channel", "title", "Piano evenings",
                "category", "Music", "tags", List.of("piano", "jazz"))).status()).isEqualTo(201);
        assertThat(node.send("PUT", "/api/profiles/" + creator.id(), creator.token(), map("bio", "I play the piano.",
                "topFriends", List.of(fan.id()),
                "donationAddresses", List.of(map("currency", "ETH", "address", "0x52908400098527886E0F7030069857D2E4169EE7", "note", "main"))))
                .status()).isEqualTo(200);
        assertThat(node.post("/api/channels/a11y-channel/chat", fan.token(), map("text", "lovely tune")).status()).isEqualTo(201);
        assertThat(node.post("/api/channels/a11y-channel/reports", creator.token(), map("userId", fan.id(), "reason", "testing the queue")).status())
                .isEqualTo(201);
        // The trust-and-safety pages with something in them: a site report in the queue, published Terms (after the
        // signups above: from now on a signup would have to accept them).
        assertThat(node.post("/api/reports", fan.token(), map("subjectKind", "channel", "subjectId",
                node.get("/api/channels/a11y-channel", null).json().at("/id").asLong(), "reason", "spam")).status()).isEqualTo(201);
        assertThat(node.send("PUT", "/api/admin/legal/terms", admin.token(), map("body", "Be kind.\n\nNo spam.")).status()).isEqualTo(201);
        axe = axeScript();
    }

    /** axe-core's script, for this class and for other browser tests that scan what they open (a dialog). */
    static String axeScript() {
        try (InputStream in = AccessibilityBrowserTest.class.getResourceAsStream("/web/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Waits until the view has replaced every loading placeholder with content (or an error). */
    static void settle(Page page) {
        page.waitForFunction("() => !document.querySelector('main[aria-busy], main .page-loading, main .skeleton, #embed-player .page-loading')");
        page.waitForTimeout(200); // let late sections (chat history, profile) land too
        page.waitForFunction("() => !document.querySelector('main .page-loading, main .skeleton')");
    }

    /** Narrows the window to 360 px and reports how wide the page is then (more than 360 means sideways scrolling). */
    static int widthAt360(Page page) {
        var size = page.viewportSize();
        page.setViewportSize(360, 740);
        int width = ((Number) page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(document.documentElement.scrollWidth)))")).intValue();
        page.setViewportSize(size.width, size.height);
        return width;
    }

    /** Serious and critical axe violations on the page, one line each. */
    static List<String> violations(Page page) {
        if (!(Boolean) page.evaluate("() => typeof window.axe !== 'undefined'")) page.evaluate(axe != null ? axe : (axe = axeScript()));
        JsonNode result = Pages.json(page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
                + ".map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) }))"));
        List<String> out = new ArrayList<>();
        for (JsonNode v : result) {
            String impact = v.at("/impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                out.add(page.url() + " [" + impact + "] " + v.at("/id").asText() + ": " + v.at("/help").asText() + " " + v.at("/targets"));
            }
        }
        return out;
    }

    @Test
    void noPageHasSeriousOrCriticalAxeViolationsInEitherThemeAndNoneScrollsSidewaysAt360Pixels() {
        browser.clearErrors();
        List<String> found = new ArrayList<>();
        for (String theme : List.of("dark", "light")) {
            Page page = browser.context(base, Chromium.Viewport.DESKTOP, admin.token()).newPage();
            page.navigate(base + "/");
            page.evaluate("t => localStorage.setItem('cascade-theme', t)", theme);
            for (String path : theme.equals("dark") ? PAGES : MAIN_PAGES) {
                page.navigate(base + path);
                settle(page);
                assertThat(page.locator("html")).hasAttribute("data-theme", path.startsWith("/embed") ? "dark" : theme);
                found.addAll(violations(page));
                if (path.equals("/") || path.equals("/c/a11y-channel")) {
                    Chromium.screenshot(page, (path.equals("/") ? "home" : "channel-offline") + "-" + theme + "-1280x800");
                }
                if (theme.equals("dark")) assertThat(widthAt360(page)).as("page width of %s at 360 px", path).isLessThanOrEqualTo(360);
            }
        }
        // The creator's own view of the studio and dashboard (not an administrator's).
        Page creatorPage = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        for (String path : List.of("/studio", "/dashboard?tab=moderation")) {
            creatorPage.navigate(base + path);
            settle(creatorPage);
            found.addAll(violations(creatorPage));
            if (path.contains("moderation")) Chromium.screenshot(creatorPage, "dashboard-moderation-1280x800");
        }
        assertThat(found).as("serious or critical accessibility violations").isEmpty();
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    @Test
    void theSkipLinkComesFirstTheMenuOpensByKeyboardAndTheThemeIsRemembered() {
        browser.clearErrors();
        Page page = browser.context(base, Chromium.Viewport.PHONE, null).newPage();
        page.navigate(base + "/");
        settle(page);
        page.keyboard().press("Tab");
        assertThat(page.locator(":focus")).hasText("Skip to content");
        page.keyboard().press("Enter");
        assertThat(page.locator("main")).isFocused();

        // At phone width the navigation hides behind a menu button that works from the keyboard.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).focus();
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"))).hasAttribute("aria-expanded", "true");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Log in"))).isVisible();

        String before = page.locator("html").getAttribute("data-theme");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Light theme")).click();
        String after = page.locator("html").getAttribute("data-theme");
        assertThat(after).isNotEqualTo(before);
        page.reload();
        assertThat(page.locator("html")).hasAttribute("data-theme", after);
        assertThat(page.locator("#theme-toggle")).hasAttribute("aria-pressed", String.valueOf(after.equals("light")));

        // Every API error reaches the person in words: a wrong password shows the server's sentence.
        page.navigate(base + "/login");
        page.locator("main").getByLabel("Username or email").fill("nobody_here");
        page.locator("main").getByLabel("Password").fill("definitely wrong password");
        page.locator("main").getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("main [role=alert]").first()).containsText("The username/email or password is wrong.");
        assertThat(browser.errors()).as("console errors and uncaught exceptions").filteredOn(e -> !e.contains("/api/auth/login")).isEmpty();
    }
}
