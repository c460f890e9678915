package live.cascade.api.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the web app leaves its WHEP and WHIP sessions (issue 14: a player once DELETEd a session the node had already
 * ended, and Chromium logged the 404). A client that leaves a live session must DELETE it while its connection still
 * stands: closing the RTCPeerConnection sends DTLS close_notify, which ends the session on the node by itself, so a
 * DELETE that arrives after it finds nothing. Here every DELETE on a session resource is held back by the network
 * (a route delays it), which is what a busy machine does to an HTTP request while the UDP close_notify overtakes it.
 * And a client told that the node ended its session (the broadcast stopped) must not touch the session again. What
 * is left is a DELETE already on its way when the node ends the session: answered 404 (RFC 9725), and the only
 * failed load the browser tests forgive ({@link EndedSessionDeletes}).
 */
@Tag("integration")
@Timeout(300)
class SessionTeardownBrowserTest {
    static final Duration MEDIA = Duration.ofSeconds(30);
    /** Far longer than a close_notify takes over loopback, so a client that does not wait for its DELETE loses the race every time. */
    static final int DELETE_DELAY_MS = 600;
    static final Pattern SESSION_PATH = Pattern.compile("/api/(whip/[^/]+|whep/[^/]+/[^/]+)");
    /** The same as a whole URL, for the route: Playwright then intercepts only these requests, not every one. */
    static final Pattern SESSION_URL = Pattern.compile("^https?://[^/]+/api/(whip/[^/?]+|whep/[^/?]+/[^/?]+)$");
    static final String SLUG = "teardown";

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();
    static TestNode node;
    static Chromium browser;
    static String base;
    static TestNode.Account creator;
    static Page studio;
    /** Every request the pages made on a session resource: "METHOD url -> status" (or "-> failed"). */
    static final List<String> sessionTraffic = new ArrayList<>();
    /** Runs once while the next DELETE is held back, before it goes on to the node. */
    static volatile Runnable whileNextDeleteIsHeld;

    @BeforeAll
    static void start() {
        node = bed.node();
        browser = bed.chromium();
        base = node.url("");
        node.signup("teardown_admin");
        creator = node.signup("teardown_creator");
        assertThat(node.post("/api/channels", creator.token(), map("slug", SLUG, "title", "Comings and goings", "category", "Talk")).status())
                .isEqualTo(201);
    }

    /** The creator's studio, a fresh page per test (the extension closes every page after a test). */
    @BeforeEach
    void openStudio() {
        studio = page(creator.token());
    }

    /** A page whose session-resource requests are recorded and whose DELETEs on them are held back {@link #DELETE_DELAY_MS}. */
    static Page page(String sessionToken) {
        BrowserContext context = browser.context(base, Chromium.Viewport.DESKTOP, sessionToken);
        context.route(SESSION_URL, route -> {
            if ("DELETE".equals(route.request().method())) {
                Runnable meanwhile = whileNextDeleteIsHeld;
                whileNextDeleteIsHeld = null;
                if (meanwhile != null) meanwhile.run();
                try {
                    Thread.sleep(DELETE_DELAY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            route.resume();
        });
        Page page = context.newPage();
        page.onResponse(r -> {
            if (SESSION_PATH.matcher(URI.create(r.url()).getPath()).matches()) record(r.request().method() + " " + r.url() + " -> " + r.status());
        });
        page.onRequestFailed(r -> {
            if (SESSION_PATH.matcher(URI.create(r.url()).getPath()).matches()) record(r.method() + " " + r.url() + " -> failed " + r.failure());
        });
        return page;
    }

    static void record(String line) {
        synchronized (sessionTraffic) {
            sessionTraffic.add(line);
        }
    }

    /** What the pages sent to the session resource at `url`. */
    static List<String> trafficTo(String url) {
        synchronized (sessionTraffic) {
            return sessionTraffic.stream().filter(l -> l.contains(" " + url + " -> ")).toList();
        }
    }

    /** Waits (pumping the page's events) until the DELETE of `url` has an answer, and returns it. */
    static String awaitDelete(Page page, String url) {
        long deadline = System.nanoTime() + MEDIA.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> deletes = trafficTo(url).stream().filter(l -> l.startsWith("DELETE ")).toList();
            if (!deletes.isEmpty()) return deletes.getFirst();
            page.waitForTimeout(200);
        }
        throw new AssertionError("no answer to a DELETE of " + url + " within " + MEDIA.toSeconds() + " s; traffic: " + trafficTo(url));
    }

    static void goLive() {
        if (!studio.url().endsWith("/studio")) studio.navigate(base + "/studio");
        assertThat(studio.locator(".studio-status")).isVisible();
        if ("You are live.".equals(studio.locator(".studio-status").textContent())) return;
        studio.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Go live")).click();
        assertThat(studio.locator(".studio-status")).hasText("You are live.", new LocatorAssertions.HasTextOptions().setTimeout(MEDIA.toMillis()));
    }

    static void awaitPlaying(Page viewer) {
        Pages.await("the player plays over WebRTC", MEDIA, () -> Pages.player(viewer),
                s -> "live".equals(s.at("/state").asText()) && "webrtc".equals(s.at("/protocol").asText()) && s.at("/framesDecoded").asLong() >= 10);
    }

    static String whepLocation(Page viewer) {
        return (String) viewer.evaluate("() => document.querySelector('.player').cascadePlayer.whep?.location ?? null");
    }

    static String whipLocation() {
        return (String) studio.evaluate("() => document.querySelector('.studio-layout').cascadeStudio.publisher?.location ?? null");
    }

    @Test
    void aViewerLeavingWebRtcDeletesItsSessionBeforeClosingTheConnectionSoTheNodeStillHasIt() {
        browser.clearErrors();
        goLive();
        Page viewer = page(null);
        viewer.navigate(base + "/c/" + SLUG);
        for (int round = 1; round <= 3; round++) {
            awaitPlaying(viewer);
            String location = whepLocation(viewer);
            assertThat(location).as("round %d: the player holds a WHEP session", round).isNotNull();
            viewer.getByLabel("Playback mode").selectOption("hls");
            assertThat(awaitDelete(viewer, location)).as("round %d: the WHEP DELETE, sent while the connection stood", round)
                    .endsWith(" -> 200");
            viewer.getByLabel("Playback mode").selectOption("auto");
        }
        awaitPlaying(viewer);
        viewer.close();
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    @Test
    void theStudioLeftWhileLiveDeletesItsWhipSessionBeforeClosingTheConnectionSoTheNodeStillHasIt() {
        browser.clearErrors();
        for (int round = 1; round <= 2; round++) {
            goLive();
            String location = whipLocation();
            assertThat(location).as("round %d: the studio holds a WHIP session", round).isNotNull();
            studio.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("View " + SLUG + "’s channel page")).click();
            studio.locator("dialog").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Leave")).click();
            assertThat(awaitDelete(studio, location)).as("round %d: the WHIP DELETE, sent while the connection stood", round)
                    .endsWith(" -> 200");
            studio.navigate(base + "/studio"); // no player of this page waits out the publisher's grace
            Pages.await("the channel is offline", MEDIA, () -> node.get("/api/channels/" + SLUG, null).json(), c -> !c.at("/live").asBoolean());
        }
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    @Test
    void aPlayerLeftWhileItsOfferIsOnTheWayDeletesTheSessionTheNodeMadeForIt() {
        browser.clearErrors();
        goLive();
        Page viewer = page(null);
        viewer.navigate(base + "/c/" + SLUG);
        awaitPlaying(viewer);
        List<String> created = new ArrayList<>();
        viewer.onResponse(r -> {
            if ("POST".equals(r.request().method()) && r.status() == 201 && r.url().endsWith("/api/whep/" + SLUG)) {
                created.add(URI.create(r.url()).resolve(r.headerValue("location")).toString());
            }
        });
        // The next offer is held on its way; the viewer chooses HLS meanwhile.
        viewer.context().route(Pattern.compile("^https?://[^/]+/api/whep/" + SLUG + "$"), route -> {
            if ("POST".equals(route.request().method())) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            route.resume();
        });
        viewer.evaluate("() => { const p = document.querySelector('.player').cascadePlayer; "
                + "p.switchMode('auto'); setTimeout(() => p.switchMode('hls'), 300); }");
        Pages.await("the held offer is answered", MEDIA, () -> {
            viewer.waitForTimeout(100); // lets Playwright deliver the route and the response
            return Pages.json(created);
        }, c -> !c.isEmpty());
        assertThat(awaitDelete(viewer, created.getFirst())).as("the DELETE of the session made for the abandoned offer").endsWith(" -> 200");
        Pages.await("the player went on to HLS", MEDIA, () -> Pages.player(viewer), s -> "hls".equals(s.at("/protocol").asText()));
        viewer.close();
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }

    @Test
    void aDeleteOvertakenByTheEndOfTheBroadcastIsAnsweredNotFoundAndIsTheOnlyFailedLoadForgiven() {
        browser.clearErrors();
        goLive();
        Page viewer = page(null);
        viewer.navigate(base + "/c/" + SLUG);
        awaitPlaying(viewer);
        String location = whepLocation(viewer);
        // The player leaves a live session; while its DELETE is on the way, the node ends the broadcast.
        whileNextDeleteIsHeld = () -> assertThat(node.post("/api/channels/" + SLUG + "/stream/stop", creator.token(), map()).status())
                .isBetween(200, 204);
        viewer.getByLabel("Playback mode").selectOption("hls");
        assertThat(awaitDelete(viewer, location)).as("the DELETE that the end of the broadcast overtook").endsWith(" -> 404");
        viewer.waitForTimeout(500); // the console message may come after the response
        assertThat(browser.errors()).as("console errors and uncaught exceptions, the overtaken DELETE forgiven").isEmpty();

        // Narrow: a 404 from anything but a DELETE of a session URL stays an error.
        String unknown = base + "/api/whep/" + SLUG + "/no-such-session";
        viewer.evaluate("url => fetch(url).then(r => r.status)", unknown);
        Pages.await("the GET's failed load is reported", MEDIA, () -> Pages.json(browser.errors()), e -> !e.isEmpty());
        assertThat(browser.errors()).singleElement().asString().contains("status of 404").contains(unknown);
        viewer.close();
        assertThat(studio.locator("main [role=alert]")).containsText("The server ended the broadcast",
                new LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
        browser.clearErrors();
    }

    @Test
    void whenTheNodeEndsTheBroadcastNeitherThePlayerNorTheStudioTouchesTheEndedSessionsAgain() {
        browser.clearErrors();
        Page viewer = page(null);
        for (int round = 1; round <= 2; round++) {
            goLive();
            if (round == 1) viewer.navigate(base + "/c/" + SLUG);
            awaitPlaying(viewer);
            String whep = whepLocation(viewer);
            String whip = whipLocation();
            assertThat(node.post("/api/channels/" + SLUG + "/stream/stop", creator.token(), map()).status()).isBetween(200, 204);
            Pages.await("the player says offline", MEDIA, () -> Pages.player(viewer), s -> "offline".equals(s.at("/state").asText()));
            assertThat(studio.locator("main [role=alert]")).containsText("The server ended the broadcast",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(MEDIA.toMillis()));
            // Leaving now must not reach for the ended sessions either.
            viewer.getByLabel("Playback mode").selectOption("hls");
            viewer.getByLabel("Playback mode").selectOption("auto");
            viewer.waitForTimeout(DELETE_DELAY_MS * 2L);
            assertThat(trafficTo(whep)).as("round %d: requests on the ended WHEP session", round).isEmpty();
            assertThat(trafficTo(whip)).as("round %d: requests on the ended WHIP session", round).isEmpty();
        }
        viewer.close();
        assertThat(browser.errors()).as("console errors and uncaught exceptions").isEmpty();
    }
}
