package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.time.Duration;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HLS side of the web app in Chromium: a channel live from the studio plays in forced-HLS mode
 * (/c/{slug}?playback=hls) through hls.js with a quality menu; when the broadcast ends its recording appears in the
 * dashboard, the creator publishes it, and it plays from the VOD rail on the channel page.
 */
@Tag("integration")
@Timeout(300)
class HlsPlaybackBrowserTest {
    static final Duration HLS = Duration.ofSeconds(45);

    /**
     * One small rendition besides the source: the quality menu has a real choice (144p is below any source the fake
     * camera gives), and the encoder's share of a small test machine stays modest.
     */
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--hls-ladder", "source,144p");
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account creator;
    static TestNode.Account admin;

    /**
     * Takes every ICE path away from the page's peer connections (relay-only, and there is no relay), which is what a
     * viewer behind a network that blocks UDP gets: WHEP answers, but media can never flow.
     */
    static final String NO_ICE_PATH = """
            (() => {
              const Native = window.RTCPeerConnection;
              window.RTCPeerConnection = class extends Native {
                constructor(config = {}) { super({ ...config, iceServers: [], iceTransportPolicy: 'relay' }); }
              };
            })();""";

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        admin = node.signup("hls_admin");
        creator = node.signup("hls_creator");
        assertThat(node.post("/api/channels", creator.token(), map("slug", "hls-live", "title", "HLS evening", "category", "Talk")).status())
                .isEqualTo(201);
    }


    @Test
    void forcedHlsPlaysWithAQualityMenuAndThePublishedRecordingPlaysFromTheVodRail() {
        long t0 = System.nanoTime();
        Page studio = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        studio.navigate(base + "/studio");
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new LocatorAssertions.HasTextOptions().setTimeout(30_000));

        // ---- forced HLS: hls.js plays the ladder, frames are decoded and not black, the quality menu lists renditions
        Page viewer = browser.page(base, Chromium.Viewport.DESKTOP, null);
        viewer.navigate(base + "/c/hls-live?playback=hls");
        JsonNode playing = Pages.await("the channel page plays over HLS", HLS, () -> Pages.player(viewer),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 20);
        assertThat(playing.at("/protocol").asText()).isEqualTo("hls");
        assertThat(playing.at("/hlsLevels").asInt()).as("the source and 144p").isEqualTo(2);
        // --hls-source auto (the default): a browser publisher's source rendition is encoded by the node (x264's High
        // profile), not Chromium's Constrained Baseline passed through, so the node asks the browser for no keyframes.
        java.net.URI master = java.net.URI.create(base + "/hls/hls-live/master.m3u8");
        java.util.List<live.cascade.api.media.HlsHttp.Variant> variants = live.cascade.api.media.HlsHttp.variants(master,
                live.cascade.api.media.HlsHttp.text(live.cascade.api.media.HlsHttp.ok(live.cascade.api.media.HlsHttp.get(master))));
        assertThat(variants).extracting(v -> v.name() + " " + v.codecs().substring(0, 7)).containsExactly("source avc1.64", "144p avc1.64");
        JsonNode pixels = Pages.pixels(viewer, ".player video");
        assertThat(pixels.at("/lit").asInt()).as("lit pixels: %s", pixels).isGreaterThan(pixels.at("/total").asInt() / 4);
        Locator quality = viewer.getByLabel("Quality");
        assertThat(quality).isVisible();
        assertThat(quality.locator("option")).hasCount(playing.at("/hlsLevels").asInt() + 1);
        quality.selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(playing.at("/hlsLevels").asInt()));
        long frames = Pages.player(viewer).at("/framesDecoded").asLong();
        Pages.await("playback continues after choosing a rendition", HLS, () -> Pages.player(viewer),
                s -> s.at("/framesDecoded").asLong() > frames + 20);
        // The lowest rung is what plays now: the status names it and the decoder's frames have its height.
        assertThat(viewer.locator(".player .status:not([data-role])")).containsText("144p", new LocatorAssertions.ContainsTextOptions().setTimeout(HLS.toMillis()));
        Pages.await("the decoder plays the 144p rendition", HLS, () -> Pages.player(viewer), s -> s.at("/videoHeight").asInt() == 144);
        System.out.printf("[web] forced HLS playing after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, playing);

        // ---- the embed page can be asked for HLS too
        Page embed = browser.page(base, Chromium.Viewport.DESKTOP, null);
        embed.navigate(base + "/embed/hls-live?playback=hls");
        Pages.await("the embed page plays over HLS", HLS, () -> Pages.player(embed),
                s -> "live".equals(s.at("/state").asText()) && "hls".equals(s.at("/protocol").asText()) && s.at("/framesDecoded").asLong() >= 10);
        embed.close();

        // ---- WebRTC that cannot connect: the player falls back to HLS by itself and says why
        com.microsoft.playwright.BrowserContext blocked = browser.context(base, Chromium.Viewport.DESKTOP, null);
        blocked.addInitScript(NO_ICE_PATH);
        Page fallback = blocked.newPage();
        fallback.navigate(base + "/c/hls-live");
        JsonNode fell = Pages.await("the player falls back to HLS when WebRTC cannot connect", Duration.ofSeconds(75), () -> Pages.player(fallback),
                s -> "live".equals(s.at("/state").asText()) && "hls".equals(s.at("/protocol").asText()) && s.at("/framesDecoded").asLong() >= 10);
        assertThat(fallback.locator(".player .status:not([data-role])")).containsText("HLS");
        System.out.printf("[web] fell back to HLS after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, fell);
        fallback.close();
        viewer.waitForTimeout(3000); // a few seconds of recording

        // ---- the broadcast ends; its recording is published from the dashboard and plays from the VOD rail
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop broadcast")).click();
        Page dashboard = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        Locator publish = dashboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish HLS evening"));
        long deadline = System.nanoTime() + HLS.toNanos();
        do {
            dashboard.navigate(base + "/dashboard?tab=recordings");
            dashboard.waitForSelector("main .dash-panel :is(.card, .empty, [role=alert])");
            if (publish.count() > 0) break;
            dashboard.waitForTimeout(1000);
        } while (System.nanoTime() < deadline);
        publish.click();
        assertThat(dashboard.locator("main .card").first()).containsText("published");

        // ---- the creator cuts a clip of it from the dashboard: a draft clip of that recording, listed for its owner
        Locator card = dashboard.locator("main .card").first();
        card.getByText("Cut a clip").click();
        card.getByLabel("Clip title").fill("Best bit");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cut clip")).click();
        long recordingId = node.get("/api/recordings?channel=hls-live", creator.token()).json().at("/items/0/id").asLong();
        JsonNode owned = Pages.await("the clip is listed for its owner", HLS,
                () -> node.get("/api/recordings/" + recordingId + "/clips", creator.token()).json().at("/items"),
                items -> { for (JsonNode i : items) if ("Best bit".equals(i.at("/title").asText())) return true; return false; });
        for (JsonNode i : owned) if ("Best bit".equals(i.at("/title").asText())) {
            assertThat(i.at("/clip").asBoolean()).as("a clip: %s", i).isTrue();
            assertThat(i.at("/published").asBoolean()).as("clips start as drafts: %s", i).isFalse();
        }

        Page watcher = browser.page(base, Chromium.Viewport.DESKTOP, null);
        watcher.navigate(base + "/c/hls-live");
        watcher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play HLS evening")).click();
        watcher.locator(".vod-player video").evaluate("v => { v.muted = true; return v.play(); }");
        JsonNode vod = Pages.await("the recording plays from the VOD rail", HLS,
                () -> Pages.json(watcher.evaluate("() => document.querySelector('.vod-player').cascadeVod.stats()")),
                s -> s.at("/currentTime").asDouble() > 1.0);
        System.out.printf("[web] VOD playing after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, vod);
        Chromium.screenshot(watcher, "channel-vod-1280x800", ".vod-player");

        // ---- an administrator takes the recording down from the dashboard: it leaves the rail and the public list
        Page adminPage = browser.page(base, Chromium.Viewport.DESKTOP, admin.token());
        adminPage.navigate(base + "/dashboard?tab=admin");
        adminPage.locator("main").getByLabel("Channel address").fill("hls-live");
        adminPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("List recordings")).click();
        adminPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take down HLS evening")).click();
        adminPage.locator("dialog").getByLabel("Reason").fill("copyrighted music");
        adminPage.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Take down")).click();
        assertThat(adminPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore HLS evening"))).isVisible();
        assertThat(node.get("/api/recordings?channel=hls-live", null).json().at("/items")).isEmpty();
        watcher.reload();
        assertThat(watcher.getByText("No published recordings or clips yet.")).isVisible();
        assertThat(watcher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play HLS evening"))).hasCount(0);

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
