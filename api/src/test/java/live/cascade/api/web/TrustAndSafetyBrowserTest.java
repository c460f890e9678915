package live.cascade.api.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.OffsetDateTime;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trust and safety in Chromium, one node and browser for the class: a viewer reports a channel, an administrator
 * suspends it from the queue, the owner appeals on /appeal, the administrator reverses it; an administrator records a
 * DMCA notice, the uploader counter-notices on /dmca/{id}, and the recording is restored once the waiting period has
 * passed; a mature channel's age gate and the server's proof of it; report buttons on a chat line, the streamer's
 * profile and a recording (the dialog scanned with axe and driven by keyboard); and, last because from then on every
 * signup must accept it, a new Terms version that sends a signed-in user to /accept-terms before a write. Every effect
 * is checked against the API as well as on the page.
 */
@Tag("integration")
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustAndSafetyBrowserTest {
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
        admin = node.signup("tsb_admin"); // the first account is the administrator
    }

    static Locator dialogButton(Page page, String name) {
        return page.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
    }

    @Test
    void aReportIsActedOnAppealedAndReversed() {
        browser.clearErrors();
        TestNode.Account owner = node.signup("tsb_owner");
        TestNode.Account viewer = node.signup("tsb_viewer");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "tsb_chan", "title", "Loud channel", "category", "Talk")).status()).isEqualTo(201);

        Page viewerPage = browser.page(base, Chromium.Viewport.DESKTOP, viewer.token());
        viewerPage.navigate(base + "/c/tsb_chan");
        viewerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Report channel")).click();
        viewerPage.getByLabel("Reason").selectOption("harassment");
        viewerPage.getByLabel("What is wrong? (optional)").fill("Shouting slurs at viewers.");
        dialogButton(viewerPage, "Send report").click();
        assertThat(viewerPage.locator("#toasts")).containsText("the administrators will look at it");
        long reportId = node.get("/api/admin/reports?state=open", admin.token()).json().at("/items/0/id").asLong();
        assertThat(node.get("/api/admin/reports/" + reportId, admin.token()).json().at("/details").asText()).isEqualTo("Shouting slurs at viewers.");
        viewerPage.close(); // its player would poll the channel that is about to be suspended

        Page adminPage = browser.page(base, Chromium.Viewport.DESKTOP, admin.token());
        adminPage.navigate(base + "/dashboard?tab=safety");
        Locator report = adminPage.locator("[data-report='" + reportId + "']");
        assertThat(report).containsText("harassment on channel");
        report.getByLabel("Action on report " + reportId).selectOption("suspend_channel");
        report.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Act")).click();
        adminPage.locator("dialog").getByLabel("Reason").fill("Hate speech on stream.");
        dialogButton(adminPage, "Act").click();
        assertThat(adminPage.locator("#toasts")).containsText("Done");
        assertThat(node.get("/api/channels/tsb_chan", null).status()).as("suspended: gone for viewers").isEqualTo(404);

        Page ownerPage = browser.page(base, Chromium.Viewport.DESKTOP, owner.token());
        ownerPage.navigate(base + "/appeal");
        assertThat(ownerPage.locator("main")).containsText("channel suspended");
        ownerPage.getByLabel("Why was this wrong?").fill("That was a film quote, in context.");
        ownerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send the appeal")).click();
        assertThat(ownerPage.locator(".appeal-state")).containsText("pending");

        adminPage.reload();
        long appealId = node.get("/api/admin/appeals?state=pending", admin.token()).json().at("/items/0/appeal/id").asLong();
        Locator appeal = adminPage.locator("[data-appeal='" + appealId + "']");
        assertThat(appeal).containsText("That was a film quote, in context.");
        appeal.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reverse")).click();
        adminPage.locator("dialog").getByLabel("Note").fill("Quote in context; restored.");
        dialogButton(adminPage, "Reverse").click();
        assertThat(appeal).hasCount(0);
        assertThat(node.get("/api/channels/tsb_chan", null).status()).as("reversed: back for viewers").isEqualTo(200);
        ownerPage.reload();
        assertThat(ownerPage.locator(".appeal-state")).containsText("reversed");
        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void aDmcaNoticeIsCounterNoticedAndTheRecordingRestoredAfterTheWaitingPeriod() throws Exception {
        browser.clearErrors();
        TestNode.Account uploader = node.signup("tsb_uploader");
        assertThat(node.post("/api/channels", uploader.token(), map("slug", "tsb_music", "title", "Covers", "category", "Music")).status()).isEqualTo(201);
        long channelId = node.get("/api/channels/tsb_music", null).json().at("/id").asLong();
        var db = node.server.database();
        long recId = db.recordings().create(new live.cascade.db.NewRecording(channelId, null, null, "Cover of Song Y",
                live.cascade.db.Recording.READY, null, "mp4", "h264", "opus", 640, 360, 1000, 8,
                "recordings/" + channelId + "/r/recording.mp4", null, null, Instant.now(), 1)).id();
        db.recordings().publish(recId, Instant.now());

        Page adminPage = browser.page(base, Chromium.Viewport.DESKTOP, admin.token());
        adminPage.navigate(base + "/dashboard?tab=safety");
        adminPage.getByLabel("Recording or clip id").fill(Long.toString(recId));
        adminPage.getByLabel("Claimant name").fill("Label Ltd.");
        adminPage.getByLabel("Claimant e-mail").fill("legal@label.example");
        adminPage.getByLabel("Claimant postal address").fill("3 High St");
        adminPage.getByLabel("Copyrighted work").fill("Song Y");
        adminPage.getByLabel("Where the material is (URL)").fill(base + "/api/recordings/" + recId);
        adminPage.getByLabel("Signature").fill("/s/ A. Lawyer");
        adminPage.getByLabel("The notice states a good-faith belief that the use is not authorised").check();
        adminPage.getByLabel("The notice states, under penalty of perjury, that it is accurate").check();
        adminPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record the notice and disable the content")).click();
        assertThat(adminPage.locator("#toasts")).containsText("recorded; the content is disabled");
        long noticeId = node.get("/api/admin/dmca", admin.token()).json().at("/items/0/id").asLong();
        Locator notice = adminPage.locator("[data-notice='" + noticeId + "']");
        assertThat(notice).containsText("content disabled");
        assertThat(node.get("/api/recordings/" + recId, null).status()).as("disabled").isEqualTo(404);

        Page uploaderPage = browser.page(base, Chromium.Viewport.DESKTOP, uploader.token());
        uploaderPage.navigate(base + "/dmca/" + noticeId);
        assertThat(uploaderPage.locator(".dmca-state")).containsText("content disabled");
        uploaderPage.getByLabel("Your full name").fill("Up Loader");
        uploaderPage.getByLabel("Your postal address").fill("4 Low St");
        uploaderPage.getByLabel("Why the material was removed by mistake or misidentification").fill("My own composition.");
        uploaderPage.getByLabel("Signature (type your name)").fill("/s/ U. L.");
        uploaderPage.getByLabel("I swear, under penalty of perjury", new Page.GetByLabelOptions()).check();
        uploaderPage.getByLabel("I consent to the jurisdiction", new Page.GetByLabelOptions()).check();
        uploaderPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send the counter-notice")).click();
        assertThat(uploaderPage.locator(".counter-sent")).containsText("Counter-notice sent");
        assertThat(node.get("/api/admin/dmca/" + noticeId, admin.token()).json().at("/state").asText()).isEqualTo("counter_noticed");

        // The waiting period passes (10 business days): moved back in the database rather than waited for.
        try (var c = db.dataSource().getConnection();
             var st = c.prepareStatement("UPDATE dmca_notices SET restore_after = ? WHERE id = ?")) {
            st.setObject(1, OffsetDateTime.now().minusMinutes(1));
            st.setLong(2, noticeId);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        adminPage.reload();
        notice.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Restore")).click();
        assertThat(notice).containsText("restored");
        assertThat(node.get("/api/recordings/" + recId, null).status()).as("restored").isEqualTo(200);
        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void aMatureChannelAsksAnonymousViewersToConfirmTheirAgeFirst() {
        browser.clearErrors();
        TestNode.Account owner = node.signup("tsb_mature");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "tsb_late", "title", "Late show", "category", "Talk")).status()).isEqualTo(201);
        assertThat(node.send("PATCH", "/api/channels/tsb_late", owner.token(), map("mature", true)).json().at("/mature").asBoolean()).isTrue();
        Page page = browser.page(base, Chromium.Viewport.DESKTOP, null);
        page.navigate(base + "/c/tsb_late");
        assertThat(page.locator(".age-gate")).containsText("for viewers aged 18 or older");
        assertThat(page.locator(".channel-layout")).hasCount(0);
        // Keyboard only: the confirm button has the focus.
        page.keyboard().press("Enter");
        assertThat(page.locator(".channel-layout")).isVisible();
        assertThat(page.locator("footer")).containsText("Terms");
        assertThat(browser.errors()).isEmpty();
        // The server gates the playback itself: live HLS without the proof is refused, with the proof the gate lets
        // it through to the usual answer for a channel that is off the air (both logged as failed loads, so after the
        // check above).
        String probe = "async q => (await fetch('/hls/tsb_late/master.m3u8' + q)).status";
        assertThat(((Number) page.evaluate(probe, "")).intValue()).isEqualTo(403);
        String proof = (String) page.evaluate("() => JSON.parse(sessionStorage.getItem('cascade-age-proof')).token");
        assertThat(((Number) page.evaluate(probe, "?age=" + proof)).intValue()).isEqualTo(404);
    }

    /** The site reports about {@code kind} {@code id}, newest first. */
    static java.util.List<com.fasterxml.jackson.databind.JsonNode> reportsAbout(String kind, long id) {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        for (var r : node.get("/api/admin/reports?state=open&limit=100", admin.token()).json().at("/items")) {
            if (r.at("/subjectKind").asText().equals(kind) && r.at("/subjectId").asLong() == id) out.add(r);
        }
        return out;
    }

    @Test
    void aViewerReportsAChatMessageItsAuthorTheStreamerAndARecordingFromTheirPages() {
        browser.clearErrors();
        TestNode.Account owner = node.signup("tsb_talker");
        TestNode.Account chatter = node.signup("tsb_chatter");
        TestNode.Account viewer = node.signup("tsb_witness");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "tsb_talk", "title", "Talk night", "category", "Talk")).status()).isEqualTo(201);
        long channelId = node.get("/api/channels/tsb_talk", null).json().at("/id").asLong();
        long messageId = node.post("/api/channels/tsb_talk/chat", chatter.token(), map("text", "everyone here is an idiot")).json().at("/id").asLong();
        var db = node.server.database();
        long recId = db.recordings().create(new live.cascade.db.NewRecording(channelId, null, null, "Talk night 1",
                live.cascade.db.Recording.READY, null, "mp4", "h264", "opus", 640, 360, 1000, 8,
                "recordings/" + channelId + "/t/recording.mp4", null, null, Instant.now(), 1)).id();
        db.recordings().publish(recId, Instant.now());

        Page page = browser.page(base, Chromium.Viewport.DESKTOP, viewer.token());
        page.navigate(base + "/c/tsb_talk");
        Locator line = page.locator(".chat-msg[data-id='" + messageId + "']");
        Locator reportLine = line.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Report message from tsb_chatter"));
        // The chat line's report: the message, and the channel's own moderators told too (the box is checked).
        reportLine.click();
        Locator dialog = page.locator("dialog[open]");
        assertThat(dialog).containsText("Report to the administrators");
        assertThat(dialog.getByLabel("What are you reporting?")).isFocused();
        assertThat(AccessibilityBrowserTest.violations(page)).as("axe on the open report dialog").isEmpty();
        dialog.getByLabel("Reason").selectOption("harassment");
        dialog.getByLabel("What is wrong? (optional)").fill("Insults the whole chat.");
        assertThat(dialog.getByLabel("Also tell this channel's moderators")).isChecked();
        dialogButton(page, "Send report").click();
        assertThat(page.locator("#toasts")).containsText("the administrators will look at it");
        assertThat(dialog).hasCount(0);
        assertThat(reportLine).isFocused();
        var aboutMessage = reportsAbout("message", messageId);
        assertThat(aboutMessage).hasSize(1);
        assertThat(aboutMessage.getFirst().at("/reason").asText()).isEqualTo("harassment");
        assertThat(aboutMessage.getFirst().at("/subjectUserId").asLong()).isEqualTo(chatter.id());
        assertThat(node.get("/api/channels/tsb_talk/reports", owner.token()).json().toString())
                .as("the channel's moderators have it too").contains("Insults the whole chat.");

        // Its author's account, by keyboard only: Escape closes without sending, Enter on the button sends.
        reportLine.focus();
        page.keyboard().press("Enter");
        assertThat(dialog.getByLabel("What are you reporting?")).isFocused();
        page.keyboard().press("Escape");
        assertThat(dialog).hasCount(0);
        assertThat(reportLine).isFocused();
        page.keyboard().press("Enter");
        dialog.getByLabel("What are you reporting?").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("tsb_chatter's account"));
        dialog.getByLabel("Also tell this channel's moderators").uncheck();
        dialogButton(page, "Send report").focus();
        page.keyboard().press("Enter");
        assertThat(dialog).hasCount(0);
        assertThat(reportsAbout("user", chatter.id())).hasSize(1);

        // The streamer, from their profile card beside the player.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Report user tsb_talker to the administrators")).click();
        assertThat(dialog).containsText("Report this user to the administrators");
        dialog.getByLabel("Reason").selectOption("impersonation");
        dialogButton(page, "Send report").click();
        assertThat(dialog).hasCount(0);
        assertThat(reportsAbout("user", owner.id())).singleElement().satisfies(r -> assertThat(r.at("/reason").asText()).isEqualTo("impersonation"));

        // The recording, from its player under the channel. Its row has no media file behind it, so the player's own
        // loads of it fail; those (and only those) are forgiven from here on.
        assertThat(browser.errors()).isEmpty();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play Talk night 1")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Report recording Talk night 1 to the administrators")).click();
        assertThat(dialog).containsText("Report this recording to the administrators");
        dialog.getByLabel("Reason").selectOption("copyright");
        dialogButton(page, "Send report").click();
        assertThat(dialog).hasCount(0);
        assertThat(reportsAbout("recording", recId)).singleElement().satisfies(r -> assertThat(r.at("/subjectUserId").asLong()).isEqualTo(owner.id()));

        // The owner sees no report buttons on their own things.
        Page ownerPage = browser.page(base, Chromium.Viewport.DESKTOP, owner.token());
        ownerPage.navigate(base + "/c/tsb_talk");
        assertThat(ownerPage.locator(".chat-msg[data-id='" + messageId + "']")).isVisible();
        assertThat(ownerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Report channel"))).hasCount(0);
        assertThat(ownerPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Report user tsb_talker to the administrators"))).hasCount(0);
        assertThat(browser.errors()).filteredOn(e -> !e.contains("/api/recordings/" + recId + "/")).isEmpty();
    }

    /** Last: from here on every signup must accept the published Terms. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aNewTermsVersionSendsASignedInUserToAcceptItBeforeTheirNextWrite() {
        browser.clearErrors();
        TestNode.Account owner = node.signup("tsb_host");
        TestNode.Account reader = node.signup("tsb_reader");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "tsb_terms", "title", "Terms talk", "category", "Talk")).status()).isEqualTo(201);
        int version = node.send("PUT", "/api/admin/legal/terms", admin.token(), map("body", "Be kind.\n\nNo spam, version two.")).json().at("/version").asInt();

        Page page = browser.page(base, Chromium.Viewport.DESKTOP, reader.token());
        page.navigate(base + "/c/tsb_terms");
        assertThat(page.locator(".channel-layout")).isVisible(); // reading stays open
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Follow").setExact(true)).click();
        page.waitForURL(u -> u.contains("/accept-terms?next=%2Fc%2Ftsb_terms"));
        assertThat(page.locator("h1")).hasText("The Terms of Service changed");
        assertThat(page.locator("main")).containsText("No spam, version two.");
        assertThat(page.locator("main")).containsText("Terms of Service, version " + version);
        assertThat(AccessibilityBrowserTest.violations(page)).as("axe on /accept-terms").isEmpty();
        // Keyboard only: to the accept button and Enter.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("I accept the Terms of Service")).focus();
        page.keyboard().press("Enter");
        page.waitForURL(u -> u.endsWith("/c/tsb_terms"));
        assertThat(node.get("/api/me/legal", reader.token()).json().at("/accepted").toString()).contains("\"version\":" + version);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Follow").setExact(true)).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Following"))).isVisible();
        page.navigate(base + "/accept-terms");
        assertThat(page.locator("h1")).hasText("You are up to date");
        // The one refused follow is the only failed load, and it was meant.
        assertThat(browser.errors()).filteredOn(e -> !(e.contains("status of 403") && e.contains("/api/channels/tsb_terms/follow"))).isEmpty();
    }
}
