package live.cascade.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
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
 * The studio's sources and presets in Chromium: a screen share (getDisplayMedia, accepted by the fake media UI) with
 * the microphone goes live and is marked as "detail" content; the preset sets the capture size and the encoder's
 * bitrate cap, and changing it while live applies to the running sender.
 */
@Tag("integration")
@Timeout(150)
class StudioSourcesBrowserTest {
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
        node.signup("src_admin");
        creator = node.signup("src_creator");
        assertThat(node.post("/api/channels", creator.token(), map("slug", "screen-live", "title", "Slides", "category", "Education")).status())
                .isEqualTo(201);
    }


    /** The live tracks and the video sender's cap, as the studio's capture and connection hold them. */
    static JsonNode capture(Page studio) {
        return Pages.json(studio.evaluate("""
                async () => {
                  const b = document.querySelector('.studio-layout').cascadeStudio;
                  const v = b.stream?.getVideoTracks()[0];
                  const sender = b.publisher?.senders.video;
                  return {
                    video: v ? { label: v.label, contentHint: v.contentHint, surface: v.getSettings().displaySurface || null,
                                 width: v.getSettings().width, height: v.getSettings().height } : null,
                    audioTracks: b.stream ? b.stream.getAudioTracks().length : 0,
                    senderTrack: sender?.track?.id === v?.id,
                    maxBitrate: sender ? (sender.getParameters().encodings[0] || {}).maxBitrate ?? null : null,
                  };
                }"""));
    }

    @Test
    void aScreenShareWithMicrophoneGoesLiveAndThePresetCapsTheRunningEncoder() {
        browser.clearErrors();
        Page studio = browser.page(base, Chromium.Viewport.DESKTOP, creator.token());
        studio.navigate(base + "/studio");
        studio.getByLabel("Screen share and microphone").check();
        studio.getByLabel("Resolution and bitrate").selectOption(new SelectOption().setValue("480p"));
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start preview")).click();
        JsonNode previewing = Pages.await("the screen share previews", MEDIA, () -> capture(studio),
                c -> c.at("/video/surface").isTextual() || !studio.locator("main [role=alert] .alert-error").all().isEmpty());
        assertThat(studio.locator("main [role=alert]").allInnerTexts()).as("capture errors shown by the studio").allMatch(String::isBlank);
        assertThat(previewing.at("/video/surface").asText()).as("a display surface: %s", previewing).isIn("monitor", "window", "browser");
        assertThat(previewing.at("/video/contentHint").asText()).isEqualTo("detail");
        assertThat(previewing.at("/audioTracks").asInt()).as("the microphone joins the screen").isEqualTo(1);

        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
        Pages.await("the screen is encoded and sent", MEDIA, () -> Pages.studio(studio), s -> s.at("/framesEncoded").asLong() > 10);
        JsonNode live = capture(studio);
        assertThat(live.at("/senderTrack").asBoolean()).as("the sender carries the screen track: %s", live).isTrue();
        assertThat(live.at("/maxBitrate").asLong()).as("the 480p preset's cap").isEqualTo(1_200_000L);

        // A new preset while live: the running sender's cap follows at once, no renegotiation.
        studio.getByLabel("Resolution and bitrate").selectOption(new SelectOption().setValue("360p"));
        JsonNode capped = Pages.await("the 360p cap applies to the running sender", MEDIA, () -> capture(studio),
                c -> c.at("/maxBitrate").asLong() == 800_000L);
        assertThat(capped.at("/senderTrack").asBoolean()).isTrue();
        Pages.await("the channel is live on the node", MEDIA, () -> node.get("/api/channels/screen-live", null).json(),
                c -> c.at("/live").asBoolean());

        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop broadcast")).click();
        assertThat(studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live"))).isVisible();
        Pages.await("the channel is offline after Stop", MEDIA, () -> node.get("/api/channels/screen-live", null).json(),
                c -> !c.at("/live").asBoolean());
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
