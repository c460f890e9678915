package live.cascade.api.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
 * passed; a mature channel's age gate. Every effect is checked against the API as well as on the page.
 */
@Tag("integration")
@Timeout(180)
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
    }
}
