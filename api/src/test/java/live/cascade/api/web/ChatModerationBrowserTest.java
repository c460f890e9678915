package live.cascade.api.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
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
 * The chat panel and moderation UI in Chromium: the creator appoints a moderator in the dashboard; a viewer posts on
 * the channel page and the creator sees it in the studio; the moderator deletes it inline and it disappears for all
 * three; the moderator times the viewer out and the viewer's composer says so; the moderation log shows both. And
 * revocations reach open pages: a dismissed moderator loses the buttons, a suspended user (close code 4003) and one
 * logged out elsewhere (4001) read why.
 */
@Tag("integration")
@Timeout(120)
class ChatModerationBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account creator;
    static TestNode.Account viewer;
    static TestNode.Account moderator;
    static TestNode.Account admin;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        admin = node.signup("chat_admin");
        creator = node.signup("chat_creator");
        viewer = node.signup("chat_viewer");
        moderator = node.signup("chat_mod");
        TestNode.Response r = node.post("/api/channels", creator.token(), map("slug", "chatroom", "title", "Chatty stream", "category", "Talk"));
        assertThat(r.status()).isEqualTo(201);
    }


    static Locator messages(Page page, String text) {
        return page.locator(".chat-log .chat-msg").filter(new Locator.FilterOptions().setHasText(text));
    }

    static void awaitChatConnected(Page page) {
        assertThat(page.locator(".chat-head .muted")).containsText("in chat", new LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
    }

    @Test
    void aModeratorDeletesAViewersMessageInlineAndItDisappearsForEveryone() {
        // ---- the creator appoints the moderator from the dashboard
        Page creatorPage = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        creatorPage.navigate(base + "/dashboard?tab=moderation");
        Locator moderators = creatorPage.locator("section[aria-labelledby=mod-moderators-h]");
        moderators.getByLabel("Username or user id").fill(Long.toString(moderator.id()));
        moderators.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add moderator")).click();
        assertThat(moderators.locator(".item-row")).containsText("chat_mod");

        // ---- the creator watches the chat in the studio; the viewer and the moderator open the channel page
        creatorPage.navigate(base + "/studio");
        awaitChatConnected(creatorPage);
        Page viewerPage = browser.page(base, Chromium.Viewport.DESKTOP, viewer.token());
        viewerPage.navigate(base + "/c/chatroom");
        awaitChatConnected(viewerPage);
        Page modPage = browser.page(base, Chromium.Viewport.DESKTOP, moderator.token());
        modPage.navigate(base + "/c/chatroom");
        awaitChatConnected(modPage);

        // ---- the viewer posts; everyone sees it
        viewerPage.getByLabel("Chat message").fill("hello from the viewer");
        viewerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
        assertThat(messages(viewerPage, "hello from the viewer")).hasCount(1);
        assertThat(viewerPage.getByLabel("Chat message")).hasValue("");
        assertThat(messages(creatorPage, "hello from the viewer")).hasCount(1);
        assertThat(messages(modPage, "hello from the viewer")).hasCount(1);
        assertThat(messages(creatorPage, "hello from the viewer").locator(".author")).hasText("chat_viewer");
        // Viewers get no moderation buttons.
        assertThat(viewerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete message from chat_viewer"))).hasCount(0);

        // ---- the moderator deletes it inline: gone for all three
        modPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete message from chat_viewer")).click();
        assertThat(messages(modPage, "hello from the viewer")).hasCount(0);
        assertThat(messages(viewerPage, "hello from the viewer")).hasCount(0);
        assertThat(messages(creatorPage, "hello from the viewer")).hasCount(0);

        // ---- a second message, then a timeout: the viewer's composer explains why it is gone
        viewerPage.getByLabel("Chat message").fill("still here");
        viewerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
        assertThat(messages(modPage, "still here")).hasCount(1);
        modPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Time out chat_viewer for 10 minutes")).click();
        modPage.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Time out")).click();
        assertThat(viewerPage.locator(".chat-login")).containsText("You are timed out until");
        assertThat(viewerPage.getByLabel("Chat message")).hasCount(0);
        assertThat(creatorPage.locator(".chat-system")).containsText(new String[] {"chat_viewer was timed out for 10 min."});

        // ---- the moderation log in the dashboard records both
        creatorPage.navigate(base + "/dashboard?tab=moderation");
        Locator log = creatorPage.locator("section[aria-labelledby=mod-log-h] table");
        assertThat(log).containsText("message deleted");
        assertThat(log).containsText("chat_mod");
        Locator bans = creatorPage.locator("section[aria-labelledby=mod-bans-h]");
        assertThat(bans.locator(".item-row")).containsText("chat_viewer");
        Chromium.screenshot(modPage, "chat-moderator-1280x800");

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    @Test
    void aRevokedUserIsToldWhyTheirChatChangedWithoutReloading() {
        TestNode.Account dismissed = node.signup("chat_dismissed");
        TestNode.Account suspended = node.signup("chat_suspended");
        TestNode.Account leaving = node.signup("chat_leaving");
        assertThat(node.send("PUT", "/api/channels/chatroom/moderators/" + dismissed.id(), creator.token(), "{}").status()).isEqualTo(201);
        Page modPage = browser.page(base, Chromium.Viewport.DESKTOP, dismissed.token());
        Page suspendedPage = browser.page(base, Chromium.Viewport.DESKTOP, suspended.token());
        Page leavingPage = browser.page(base, Chromium.Viewport.DESKTOP, leaving.token());
        for (Page p : new Page[] {modPage, suspendedPage, leavingPage}) {
            p.navigate(base + "/c/chatroom");
            awaitChatConnected(p);
        }
        node.post("/api/channels/chatroom/chat", creator.token(), map("text", "a message to moderate"));
        assertThat(messages(modPage, "a message to moderate").getByRole(AriaRole.BUTTON)).not().hasCount(0);

        // Dismissed: the moderation buttons go, and the panel says why.
        assertThat(node.send("DELETE", "/api/channels/chatroom/moderators/" + dismissed.id(), creator.token(), null).status()).isEqualTo(204);
        assertThat(modPage.locator(".chat-system").last()).hasText("You are no longer a moderator of this chat.");
        assertThat(messages(modPage, "a message to moderate").getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Delete message from chat_creator"))).hasCount(0);

        // Suspended (close code 4003): the composer is gone and the status line explains.
        assertThat(node.post("/api/users/" + suspended.id() + "/suspend", admin.token(), null).status()).isEqualTo(200);
        assertThat(suspendedPage.locator(".chat-status")).containsText("Your account is suspended, so you cannot chat");
        assertThat(suspendedPage.getByLabel("Chat message")).hasCount(0);

        // Logged out elsewhere (4001): the panel reconnects read-only and says so.
        assertThat(node.send("DELETE", "/api/auth/session", leaving.token(), null).status()).isEqualTo(204);
        assertThat(leavingPage.locator(".chat-status")).containsText("You were signed out");
        awaitChatConnected(leavingPage);
        assertThat(leavingPage.getByLabel("Chat message")).hasCount(0);

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
