package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
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

import java.time.Duration;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 end to end in Chromium with a fake camera: a creator signs up, creates a channel and goes live from
 * /studio; viewers on /c/{slug} and /embed/{slug} decode frames that are not black; the dashboard shows them and
 * the analytics cards; stopping sends the player offline and going live again brings it back by itself. Screenshots
 * of home, channel, studio and dashboard at 1280×800 and 390×844 go to api/target/screenshots/.
 */
@Tag("integration")
@Timeout(240)
class GoLiveBrowserTest {
    static final Duration MEDIA = Duration.ofSeconds(30);

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--rtmp-port", "0");
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account admin;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        admin = node.signup("site_admin"); // the first account is the administrator; the creator is an ordinary user
    }


    @Test
    void aCreatorGoesLiveFromTheStudioAndViewersWatchOnTheChannelAndEmbedPages() {
        long t0 = System.nanoTime();
        // ---- the creator signs up, creates a channel, goes live
        BrowserContext creatorContext = browser.context(base, Chromium.Viewport.DESKTOP, null);
        Page studio = creatorContext.newPage();
        studio.navigate(base + "/signup");
        studio.getByLabel("Username").fill("creator");
        studio.getByLabel("Email").fill("creator@example.org");
        studio.getByLabel("Password").fill("correct horse battery staple");
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(studio.locator(".nav-user")).hasText("Signed in as creator");

        studio.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Studio").setExact(true)).click();
        studio.locator("main").getByLabel("Channel address").fill("creator-live");
        studio.locator("main").getByLabel("Stream title").fill("Building a streaming platform");
        studio.locator("main").getByLabel("Category").fill("Science & Technology");
        studio.locator("main").getByLabel("Tags").fill("java, webrtc");
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create channel")).click();
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        JsonNode publishing = Pages.await("the studio's publisher is connected and encoding", MEDIA, () -> Pages.studio(studio),
                s -> "connected".equals(s.at("/connectionState").asText()) && s.at("/framesEncoded").asLong() > 10);
        System.out.printf("[web] creator live after %d ms: %s%n", ms(t0), publishing);
        JsonNode preview = Pages.pixels(studio, ".preview video");
        assertThat(preview.at("/lit").asInt()).as("the studio preview shows the camera: %s", preview).isGreaterThan(preview.at("/total").asInt() / 4);
        // The studio's figures: the browser's own (getStats) and the node's measurement of the incoming video.
        assertThat(meter(studio, "Bitrate")).hasText(java.util.regex.Pattern.compile("\\d+(\\.\\d+)? (kbps|Mbps)"));
        assertThat(meter(studio, "Round trip")).hasText(java.util.regex.Pattern.compile("\\d+ ms"));
        // Which way the media goes (issue 22): on this machine's loopback, straight over UDP.
        assertThat(meter(studio, "Path")).hasText("Direct (UDP)");
        assertThat(meter(studio, "Server ingest")).hasText("Receiving", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        assertThat(meter(studio, "Server receives")).containsText("bps", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
        assertThat(meter(studio, "Server frame rate")).containsText("fps");
        // The node records the broadcast and says so (it would say "recovered N×" or "stopped: why").
        assertThat(meter(studio, "Recording")).hasText("recording", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        // What the node's congestion feedback told the browser (issue 16): a count, and a delay once measured.
        assertThat(meter(studio, "Reported lost")).hasText(java.util.regex.Pattern.compile("^\\d+$"));
        assertThat(meter(studio, "Delay seen by server")).hasText(java.util.regex.Pattern.compile("^(\\d+ ms|–)$"));
        // The rate that feedback acknowledged, once its first one-second window has closed, and the longest gap.
        assertThat(meter(studio, "Server confirms")).containsText("bps", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
        assertThat(meter(studio, "Feedback gap (max)")).hasText(java.util.regex.Pattern.compile("^\\d+ ms$"));
        assertThat(meter(studio, "Encoder limit")).not().hasText(java.util.regex.Pattern.compile("^(bandwidth|cpu|other)$"));

        // The OBS settings: the key behind Reveal is the owner-only stream key; Copy puts it on the clipboard.
        String creatorSession = Pages.sessionCookie(creatorContext);
        String key = node.get("/api/channels/creator-live/stream-key", creatorSession).json().at("/streamKey").asText();
        Locator keyInput = studio.getByLabel("Bearer Token (WHIP) / Stream Key (RTMP)");
        // RTMP (issue 23): OBS's "Server" for Service "Custom…" names this host, the node's RTMP port and app "live".
        int rtmpPort = node.server.media().rtmp().port().orElseThrow();
        assertThat(studio.getByLabel("Server (RTMP, Service “Custom…”)"))
                .hasValue("rtmp://" + java.net.URI.create(base).getHost() + ":" + rtmpPort + "/live");
        assertThat(keyInput).hasAttribute("type", "password");
        assertThat(keyInput).not().hasValue(key);
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reveal")).click();
        assertThat(keyInput).hasValue(key);
        studio.bringToFront(); // the clipboard answers only the focused page
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy the stream key")).click();
        assertThat(studio.locator("#toasts")).containsText("Copied");
        assertThat(studio.evaluate("() => navigator.clipboard.readText()")).isEqualTo(key);

        // ---- a viewer opens the channel page: WebRTC frames decoded, and they are not black
        BrowserContext viewerContext = browser.context(base, Chromium.Viewport.DESKTOP, null);
        Page channel = viewerContext.newPage();
        channel.navigate(base + "/c/creator-live");
        JsonNode playing = Pages.await("the channel page plays over WebRTC (30 frames decoded)", MEDIA, () -> Pages.player(channel),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 30);
        assertThat(playing.at("/protocol").asText()).isEqualTo("webrtc");
        assertThat(playing.at("/path").asText()).as("the path the player took").isEqualTo("udp");
        // The node counts both sessions, the studio's and the player's, as direct UDP (a second, a gauge's cache).
        Pages.await("/metrics counts the publisher and the viewer on udp", MEDIA,
                () -> com.fasterxml.jackson.databind.node.TextNode.valueOf(node.get("/metrics", null).body()),
                m -> m.asText().contains("cascade_media_sessions_by_path{path=\"udp\"} 2.0") && m.asText().contains("cascade_media_sessions_by_path{path=\"tcp\"} 0.0"));
        JsonNode pixels = Pages.pixels(channel, ".player video");
        assertThat(pixels.at("/lit").asInt()).as("lit pixels of the decoded frame: %s", pixels).isGreaterThan(pixels.at("/total").asInt() / 4);
        System.out.printf("[web] viewer decoding after %d ms: %s, pixels %s%n", ms(t0), playing, pixels);
        assertThat(channel.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Building a streaming platform"))).isVisible();

        // ---- rotating the key: a new key shown and in force; the publisher holding the old one is taken off the air
        // (issue 15: a leaked key must not keep streaming), and going live again uses the new key
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate key")).click();
        studio.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate")).click();
        assertThat(keyInput).not().hasValue(key);
        String rotated = node.get("/api/channels/creator-live/stream-key", creatorSession).json().at("/streamKey").asText();
        assertThat(rotated).isNotEqualTo(key);
        assertThat(keyInput).hasValue(rotated);
        assertThat(studio.locator("main [role=alert]")).containsText("The server ended the broadcast",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
        Pages.await("the viewer sees the broadcast end with the old key", MEDIA, () -> Pages.player(channel),
                s -> "offline".equals(s.at("/state").asText()));
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        Pages.await("the waiting viewer plays the broadcast made with the new key", MEDIA, () -> Pages.player(channel),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);

        // ---- "Copy embed code" puts an iframe of the channel's embed page on the clipboard
        channel.bringToFront(); // the clipboard answers only the focused page
        channel.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy embed code for this player")).click();
        assertThat(channel.locator("#toasts")).containsText("Copied to the clipboard.");
        String embedCode = (String) channel.evaluate("() => navigator.clipboard.readText()");
        assertThat(embedCode).startsWith("<iframe src=\"" + base + "/embed/creator-live\"")
                .contains("allowfullscreen").contains("title=\"Building a streaming platform on Cascade Live\"");
        String embedUrl = embedCode.substring("<iframe src=\"".length(), embedCode.indexOf('"', "<iframe src=\"".length()));

        // ---- the embed page (the URL from that code) plays the same stream with nothing around it
        Page embed = viewerContext.newPage();
        embed.navigate(embedUrl);
        Pages.await("the embed page plays", MEDIA, () -> Pages.player(embed),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);
        assertThat(Pages.pixels(embed, ".player video").at("/lit").asInt()).isPositive();
        assertThat(embed.locator(".site-header")).hasCount(0);

        // ---- the dashboard shows both viewers and the analytics cards
        Page dashboard = creatorContext.newPage();
        dashboard.navigate(base + "/dashboard");
        assertThat(dashboard.locator("[data-stat=live-viewers] .value")).hasText("2", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(25_000));
        assertThat(dashboard.locator("[data-stat=streams-live] .value")).hasText("1");
        assertThat(dashboard.locator("[data-stat=watch-time]")).isVisible();
        assertThat(dashboard.locator("[data-stat=chat-messages] .value")).hasText("0");
        assertThat(dashboard.locator("tr[data-channel=creator-live] td").first()).hasText("2");
        System.out.printf("[web] dashboard shows 2 live viewers after %d ms%n", ms(t0));

        // ---- screenshots at 1280×800
        Page home = viewerContext.newPage();
        home.navigate(base + "/");
        assertThat(home.locator(".channel-card .badge-live")).isVisible();
        Chromium.screenshot(home, "home-1280x800");
        Chromium.screenshot(channel, "channel-1280x800");
        Chromium.screenshot(studio, "studio-1280x800");
        Chromium.screenshot(dashboard, "dashboard-1280x800");

        // ---- and at 390×844, signed in as the creator where it matters
        Page phoneHome = browser.page(base, Chromium.Viewport.PHONE, null);
        phoneHome.navigate(base + "/");
        assertThat(phoneHome.locator(".channel-card .badge-live")).isVisible();
        Chromium.screenshot(phoneHome, "home-390x844");
        Page phoneChannel = browser.page(base, Chromium.Viewport.PHONE, null);
        phoneChannel.navigate(base + "/c/creator-live");
        Pages.await("the phone-sized channel page plays", MEDIA, () -> Pages.player(phoneChannel),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);
        Chromium.screenshot(phoneChannel, "channel-390x844");
        Page phoneStudio = browser.page(base, Chromium.Viewport.PHONE, creatorSession);
        phoneStudio.navigate(base + "/studio");
        assertThat(phoneStudio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live"))).isVisible();
        // The desktop studio is on the air: this second studio says so before anyone takes over from it.
        assertThat(phoneStudio.locator(".studio-status")).containsText("on the air from another source");
        Chromium.screenshot(phoneStudio, "studio-390x844");
        Page phoneDashboard = browser.page(base, Chromium.Viewport.PHONE, creatorSession);
        phoneDashboard.navigate(base + "/dashboard");
        assertThat(phoneDashboard.locator("[data-stat=live-viewers] .value")).isVisible();
        Chromium.screenshot(phoneDashboard, "dashboard-390x844");
        for (Page p : new Page[] {phoneHome, phoneChannel, phoneStudio, phoneDashboard}) {
            assertThat(((Number) p.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at 390 px on %s", p.url()).isLessThanOrEqualTo(390);
        }
        phoneChannel.close();
        embed.close();

        // ---- stop: the player says offline; go live again: it plays again by itself
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop broadcast")).click();
        Pages.await("the viewer's player goes offline", MEDIA, () -> Pages.player(channel), s -> "offline".equals(s.at("/state").asText()));
        long before = Pages.player(channel).at("/framesDecoded").asLong();
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        JsonNode back = Pages.await("the viewer's player reconnects by itself and decodes again", MEDIA, () -> Pages.player(channel),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);
        System.out.printf("[web] viewer back live after going live again (%d ms total): %s (before: %d frames)%n", ms(t0), back, before);

        // ---- an administrator ends the stream from the dashboard: the viewer goes offline, the studio says why
        Page adminPage = browser.page(base, Chromium.Viewport.DESKTOP, admin.token());
        adminPage.navigate(base + "/dashboard?tab=admin");
        adminPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End stream of creator-live")).click();
        adminPage.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("End stream")).click();
        Pages.await("the viewer's player goes offline after the force-end", MEDIA, () -> Pages.player(channel), s -> "offline".equals(s.at("/state").asText()));
        assertThat(studio.locator("main [role=alert]")).containsText("The server ended the broadcast", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
        assertThat(studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live"))).isVisible();
        assertThat(node.get("/api/channels/creator-live", null).json().at("/live").asBoolean()).isFalse();

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    /** The studio's figure under the label `name` (the <dd> of its meter). */
    static Locator meter(Page studio, String name) {
        return studio.locator(".meter").filter(new Locator.FilterOptions().setHas(studio.locator("dt", new Page.LocatorOptions().setHasText(name)))).locator("dd");
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
