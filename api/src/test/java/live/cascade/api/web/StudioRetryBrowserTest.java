package live.cascade.api.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.Publisher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Go live" on a server that answers 503 with Retry-After (here: its one publisher slot is taken) does not just show
 * the refusal: the studio counts down the server's Retry-After, tries again by itself, and goes live once a slot is
 * free; pressing Stop while it waits gives up for good.
 */
@Tag("integration")
@Timeout(180)
class StudioRetryBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--max-sessions", "2", "--publisher-reserve", "1");

    private static LocatorAssertions.ContainsTextOptions within(int seconds) {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(seconds * 1000.0);
    }

    @Test
    void goLiveWaitsOutAFullServersRetryAfterAndGoesLiveOnceASlotIsFree() {
        TestNode node = bed.node();
        Chromium browser = bed.chromium();
        MediaNode media = MediaNode.of(node);
        MediaNode.Channel occupied = media.createChannel("occupant");
        Publisher occupant = Publisher.open(browser);
        occupant.publish(occupied.whipUrl(), occupied.streamKey(), Publisher.Source.CLOCK);

        MediaNode.Channel mine = media.createChannel("waiting");
        BrowserContext context = browser.context(node.url(""), Chromium.Viewport.DESKTOP, mine.ownerToken());
        Page studio = context.newPage();
        studio.navigate(node.url("/studio"));
        var status = studio.locator(".studio-status");
        var goLive = studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live"));
        var stop = studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop"));

        // Stop while it waits: it gives up, and does not go live later by itself.
        goLive.click();
        assertThat(status).containsText("Waiting for the server:", within(30));
        assertThat(status).containsText("Trying again in");
        stop.click();
        assertThat(status).containsText("Preview only", within(10));
        studio.waitForTimeout(11_000); // past the server's Retry-After (10 s)
        assertThat(status).containsText("Preview only");

        // Again, and this time a slot frees while it waits.
        goLive.click();
        assertThat(status).containsText("Trying again in", within(30));
        long freed = System.nanoTime();
        assertThat(occupant.stop()).as("the other broadcast ends (DELETE)").isEqualTo(200);
        assertThat(status).containsText("You are live.", within(40));
        long ms = (System.nanoTime() - freed) / 1_000_000;
        System.out.printf("[web] the studio went live by itself %d ms after the slot was freed%n", ms);
        String health = "/api/channels/" + mine.slug() + "/stream/health";
        Pages.await("the node has the studio's broadcast live", java.time.Duration.ofSeconds(20),
                () -> node.get(health, mine.ownerToken()).json(), h -> "live".equals(h.at("/state").asText()));
        context.close();
        occupant.close();
    }
}
