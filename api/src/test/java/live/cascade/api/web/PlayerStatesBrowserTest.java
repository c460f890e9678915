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
 * The player's states as a viewer sees them: Offline with a sentence while the channel is off the air, then LIVE by
 * itself when it goes live; "Reconnecting" when the publisher's video stops arriving (the studio's sender loses its
 * track, as when a camera or a network hiccups), and LIVE again on the same WebRTC session when it comes back.
 */
@Tag("integration")
@Timeout(150)
class PlayerStatesBrowserTest {
    static final Duration MEDIA = Duration.ofSeconds(30);

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account creator;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        node.signup("states_admin");
        creator = node.signup("states_creator");
        assertThat(node.post("/api/channels", creator.token(), map("slug", "states", "title", "Ups and downs", "category", "Talk")).status())
                .isEqualTo(201);
    }


    /** Identifies the player's current WebRTC session, to tell "recovered" from "reconnected". */
    static Object sessionId(Page viewer) {
        return viewer.evaluate("() => { const p = document.querySelector('.player').cascadePlayer; "
                + "if (!p.whep?.pc) return null; p.whep.pc.__id ??= Math.random().toString(36).slice(2); return p.whep.pc.__id; }");
    }

    @Test
    void theViewerSeesOfflineLiveReconnectingAndLiveAgainOnTheSameSessionAndIsToldWhenThereIsNoHls() {
        browser.clearErrors();
        Page viewer = browser.page(base, Chromium.Viewport.DESKTOP, null);
        viewer.navigate(base + "/c/states");
        Pages.await("the player says offline", MEDIA, () -> Pages.player(viewer), s -> "offline".equals(s.at("/state").asText()));
        assertThat(viewer.locator(".player .badge")).hasText("Offline");
        assertThat(viewer.locator(".player-overlay")).containsText("starts by itself when the stream goes live");

        Page studio = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        studio.navigate(base + "/studio");
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));

        Pages.await("the waiting player starts by itself", MEDIA, () -> Pages.player(viewer),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);
        assertThat(viewer.locator(".player .badge")).hasText("LIVE");
        Object session = sessionId(viewer);
        assertThat(session).isNotNull();

        // The publisher's video stops arriving: the sender carries no track for a while.
        studio.evaluate("() => document.querySelector('.studio-layout').cascadeStudio.publisher.senders.video.replaceTrack(null)");
        JsonNode stalled = Pages.await("the player says reconnecting", MEDIA, () -> Pages.player(viewer),
                s -> "reconnecting".equals(s.at("/state").asText()));
        assertThat(viewer.locator(".player .badge")).hasText("Reconnecting");
        assertThat(viewer.locator(".player-overlay")).isVisible();
        long framesWhileStalled = stalled.at("/framesDecoded").asLong();

        studio.evaluate("() => { const b = document.querySelector('.studio-layout').cascadeStudio; "
                + "return b.publisher.senders.video.replaceTrack(b.stream.getVideoTracks()[0]); }");
        Pages.await("the player is live again", MEDIA, () -> Pages.player(viewer),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() > framesWhileStalled + 15);
        assertThat(sessionId(viewer)).as("the same WebRTC session carried on").isEqualTo(session);
        assertThat(viewer.locator(".player-overlay")).isHidden();

        // This node makes no HLS: asking for HLS says so, offers both ways on, and low latency plays again.
        viewer.getByLabel("Playback mode").selectOption("hls");
        Pages.await("the player says HLS is not available", MEDIA, () -> Pages.player(viewer),
                s -> "error".equals(s.at("/state").asText()));
        assertThat(viewer.locator(".player-overlay")).containsText("HLS not available on this node yet.");
        assertThat(viewer.locator(".player-overlay").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry HLS"))).isVisible();
        viewer.locator(".player-overlay").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Try low latency")).click();
        Pages.await("low latency plays again", MEDIA, () -> Pages.player(viewer),
                s -> "live".equals(s.at("/state").asText()) && s.at("/framesDecoded").asLong() >= 15);
        assertThat(viewer.getByLabel("Playback mode")).hasValue("auto");

        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
