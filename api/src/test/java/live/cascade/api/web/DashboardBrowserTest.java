package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The creator's control center in Chromium: a channel created (after a refused address, shown in the server's
 * words), edited and deleted from the Channels tab; the profile editor's bio and donation address (a mistyped Bitcoin
 * address refused with the server's reason) landing on the channel page's profile card with a working copy button.
 * Every effect is checked against the API.
 */
@Tag("integration")
@Timeout(120)
class DashboardBrowserTest {
    /** BIP 173's example P2WPKH address: valid bech32, so the server's checksum check accepts it. */
    static final String BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        node.signup("dash_admin");
    }


    @Test
    void aCreatorRunsChannelsAndTheProfileFromTheDashboard() {
        browser.clearErrors();
        TestNode.Account creator = node.signup("dash_creator");
        Page page = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        page.navigate(base + "/dashboard?tab=channels");

        // ---- create: a refused address first, in the server's words beside the field
        Locator create = page.locator("form").filter(new Locator.FilterOptions().setHasText("Create a channel"));
        create.getByLabel("Channel address").fill("9 lives");
        create.getByLabel("Title").fill("Dashboard days");
        create.getByLabel("Category").fill("Talk");
        create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create channel")).click();
        assertThat(create.locator("[role=alert]").first()).containsText("Could not save");
        assertThat(create.getByLabel("Channel address")).hasAttribute("aria-invalid", "true");
        assertThat(node.get("/api/channels?owner=" + creator.id(), null).json().at("/items")).isEmpty();

        create.getByLabel("Channel address").fill("dash-chan");
        create.getByLabel("Tags").fill("chat, #cozy");
        create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create channel")).click();
        Locator editor = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Edit dash-chan"));
        assertThat(editor).isVisible();
        JsonNode created = node.get("/api/channels/dash-chan", null).json();
        assertThat(created.at("/title").asText()).isEqualTo("Dashboard days");
        assertThat(created.at("/tags").toString()).isEqualTo("[\"chat\",\"cozy\"]");

        // ---- edit
        editor.getByLabel("Title").fill("Dashboard nights");
        editor.getByLabel("Category").fill("Music");
        editor.getByLabel("Tags").fill("piano");
        editor.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save changes")).click();
        assertThat(page.locator("#toasts")).containsText("Saved dash-chan");
        JsonNode edited = node.get("/api/channels/dash-chan", null).json();
        assertThat(List.of(edited.at("/title").asText(), edited.at("/category").asText(), edited.at("/tags").toString()))
                .containsExactly("Dashboard nights", "Music", "[\"piano\"]");

        // ---- the profile: a mistyped Bitcoin address is refused with the server's reason, a real one is saved
        TestNode.Account friend = node.signup("dash_friend");
        page.navigate(base + "/dashboard?tab=profile");
        page.getByLabel("Bio").fill("Late-night piano and chat.");
        // Top friends by name: an unknown one is refused in the server's words, a real one (any case, @ or not) is kept.
        page.getByLabel("Top friends").fill("@Dash_Friend, nobody_called_this");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save profile")).click();
        assertThat(page.locator("main [role=alert]").first()).containsText("No user is called 'nobody_called_this'.");
        page.getByLabel("Top friends").fill("@Dash_Friend");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a donation address")).click();
        page.getByLabel("Currency").fill("BTC");
        page.getByLabel("Address", new Page.GetByLabelOptions().setExact(true)).fill(BTC.substring(0, BTC.length() - 1) + "5");
        page.getByLabel("Note").fill("cold wallet");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save profile")).click();
        assertThat(page.locator("main [role=alert]").first()).containsText("not a valid Bitcoin address");
        page.getByLabel("Address", new Page.GetByLabelOptions().setExact(true)).fill(BTC);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save profile")).click();
        assertThat(page.locator("#toasts")).containsText("Profile saved.");
        JsonNode profile = node.get("/api/profiles/" + creator.id(), null).json();
        assertThat(profile.at("/bio").asText()).isEqualTo("Late-night piano and chat.");
        assertThat(profile.at("/donationAddresses/0/address").asText()).isEqualTo(BTC);
        assertThat(profile.at("/topFriends").toString()).isEqualTo("[" + friend.id() + "]");
        page.reload();
        assertThat(page.getByLabel("Top friends")).hasValue("dash_friend");

        // ---- the channel page's profile card shows it, with the plain note and a copy button that works
        page.navigate(base + "/c/dash-chan");
        assertThat(page.getByText("Late-night piano and chat.")).isVisible();
        assertThat(page.getByText("Payments go straight to the streamer")).isVisible();
        assertThat(page.locator(".friends")).containsText("dash_friend");
        assertThat(page.locator(".donations code")).hasText(BTC);
        page.bringToFront(); // the clipboard answers only the focused page
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy BTC address")).click();
        assertThat(page.locator("#toasts")).containsText("Copied");
        assertThat(page.evaluate("() => navigator.clipboard.readText()")).isEqualTo(BTC);

        // ---- delete
        page.navigate(base + "/dashboard?tab=channels");
        page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Edit dash-chan"))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete channel")).click();
        page.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        assertThat(page.getByText("You have no channels yet.")).isVisible();
        assertThat(node.get("/api/channels/dash-chan", null).status()).isEqualTo(404);

        // The only errors: the refusals above, which Chromium logs as failed loads.
        assertThat(browser.errors()).as("console errors and uncaught exceptions")
                .filteredOn(e -> !((e.contains("status of 400") || e.contains("status of 422"))
                        && (e.contains("/api/channels") || e.contains("/api/profiles/"))))
                .filteredOn(e -> !(e.contains("status of 404") && e.contains("/api/users/by-username/nobody_called_this"))).isEmpty();
    }
}
