package live.cascade.api.web;

import com.microsoft.playwright.Locator;
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


import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account and administration parts of the dashboard in Chromium: a password change (wrong current password shown
 * in the server's words, then a real change that ends the other sessions), log out everywhere, and an administrator
 * suspending and restoring a channel and a user. Every effect is checked against the API, not just the page.
 */
@Tag("integration")
@Timeout(120)
class AccountAndAdminBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account admin;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        admin = node.signup("acct_admin"); // the first account is the administrator
    }


    static String login(String username, String password) {
        TestNode.Response r = node.post("/api/auth/login", null, map("login", username, "password", password));
        assertThat(r.status()).as("login of %s: %s", username, r.body()).isEqualTo(200);
        return r.json().at("/token").asText();
    }

    static int sessionStatus(String token) {
        return node.get("/api/auth/session", token).status();
    }

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndLogOutEverywhereEndsThemAll() {
        browser.clearErrors();
        TestNode.Account user = node.signup("acct_user");
        String elsewhere = login(user.username(), user.password());
        Page page = browser.page(base, Chromium.Viewport.DESKTOP, user.token());
        page.navigate(base + "/dashboard?tab=account");

        // A wrong current password: the server's sentence, next to the field it names.
        page.getByLabel("Current password").fill("not my password at all");
        page.getByLabel("New password").fill("a brand new passphrase 42");
        page.locator("main").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
        assertThat(page.locator("main [role=alert]").first()).containsText("The current password is wrong.");
        assertThat(sessionStatus(elsewhere)).as("a refused change ends nothing").isEqualTo(200);

        page.getByLabel("Current password").fill(user.password());
        page.getByLabel("New password").fill("a brand new passphrase 42");
        page.locator("main").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
        assertThat(page.locator("#toasts")).containsText("Password changed");
        assertThat(sessionStatus(elsewhere)).as("the other session ended with the change").isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", user.username(), "password", user.password())).status())
                .as("the old password no longer works").isEqualTo(401);
        String again = login(user.username(), "a brand new passphrase 42");

        // This page kept a (new) session: a reload is still signed in.
        page.reload();
        assertThat(page.locator(".nav-user")).hasText("Signed in as acct_user");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out everywhere")).click();
        page.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Log out everywhere")).click();
        page.waitForURL(base + "/login");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Log in").setExact(true))).isVisible();
        assertThat(sessionStatus(again)).as("log out everywhere ended the API session too").isEqualTo(401);
        assertThat(page.context().cookies().stream().noneMatch(c -> c.name.equals("cascade_session") && !c.value.isEmpty()))
                .as("the page's cookie is gone").isTrue();

        // The only errors: the refused change's 403, which Chromium logs as a failed load.
        assertThat(browser.errors()).as("console errors and uncaught exceptions")
                .filteredOn(e -> !(e.contains("status of 403") && e.contains("/api/auth/password"))).isEmpty();
    }

    @Test
    void anAdministratorSuspendsAndRestoresAChannelAndAUserFromTheAdminTab() {
        browser.clearErrors();
        TestNode.Account owner = node.signup("acct_owner");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "acct-chan", "title", "Suspend me", "category", "Talk")).status())
                .isEqualTo(201);
        Page page = browser.page(base, Chromium.Viewport.DESKTOP, admin.token());
        page.navigate(base + "/dashboard?tab=admin");

        // The channel: suspended, it is gone for everyone else; restored, it is back.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend acct-chan")).click();
        page.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Suspend")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore acct-chan"))).isVisible();
        assertThat(node.get("/api/channels/acct-chan", null).status()).as("a suspended channel, seen by the public").isEqualTo(404);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore acct-chan")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend acct-chan"))).isVisible();
        assertThat(node.get("/api/channels/acct-chan", null).status()).isEqualTo(200);

        // The user: suspended, their session ends at once; restored, they can log in again.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend acct_owner")).click();
        page.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Suspend")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore acct_owner"))).isVisible();
        assertThat(sessionStatus(owner.token())).as("the suspended user's session").isEqualTo(401);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore acct_owner")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Suspend acct_owner"))).isVisible();
        login(owner.username(), owner.password());

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
