package live.cascade.api.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NodeWithBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's Webhooks tab in Chromium: a creator adds a webhook through the form (the secret is shown once), an
 * event's delivery appears in its log as the receiver's refusal and then as delivered after the retry, and the
 * Redeliver button sends it again as a new delivery that the receiver gets and the log shows.
 */
@Tag("integration")
@Timeout(120)
class WebhooksPageBrowserTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with("--recordings", "false");

    @Test
    void aCreatorAddsAWebhookSeesItsDeliveriesAndRedeliversOne() throws Exception {
        TestNode node = bed.node();
        String base = node.url("");
        node.signup("wh_page_admin");
        TestNode.Account owner = node.signup("wh_page_owner");
        assertThat(node.post("/api/channels", owner.token(), map("slug", "hook-page", "title", "Hook page", "category", "Test")).status()).isEqualTo(201);
        List<String> deliveries = new CopyOnWriteArrayList<>();
        AtomicInteger refuse = new AtomicInteger(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            deliveries.add(ex.getRequestHeaders().getFirst("Cascade-Delivery"));
            ex.sendResponseHeaders(refuse.getAndDecrement() > 0 ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();
        try {
            Page page = bed.chromium().page(base, Chromium.Viewport.DESKTOP, owner.token());
            page.navigate(base + "/dashboard?tab=webhooks");
            Locator form = page.locator("form").filter(new Locator.FilterOptions().setHasText("Add a webhook"));
            form.getByLabel("Payload URL").fill("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            form.getByLabel("report.created").check();
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add webhook")).click();
            assertThat(page.locator("[data-secret='shown'] code")).containsText("whsec_");

            TestNode.Account viewer = node.signup("wh_page_viewer");
            TestNode.Account troll = node.signup("wh_page_troll");
            assertThat(node.post("/api/channels/hook-page/reports", viewer.token(), map("userId", troll.id(), "reason", "spam")).status()).isEqualTo(201);

            Locator rows = page.locator("[data-webhook] tbody tr");
            LocatorAssertions.HasCountOptions wait = new LocatorAssertions.HasCountOptions().setTimeout(30_000);
            assertThat(rows.filter(new Locator.FilterOptions().setHasText("report.created"))).hasCount(1, wait);
            Locator first = rows.first();
            assertThat(first).hasAttribute("data-status", "delivered", new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            assertThat(first).containsText("HTTP 204");
            assertThat(first.locator("td").nth(3)).hasText("2"); // refused once, then delivered

            first.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Redeliver")).click();
            assertThat(rows).hasCount(2, wait);
            assertThat(rows.first()).hasAttribute("data-status", "delivered", new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
            String redelivered = rows.first().getAttribute("data-delivery");
            assertThat(deliveries).as("the receiver got the redelivery under its new id").contains(redelivered);
            assertThat(bed.chromium().errors()).as("console errors and uncaught exceptions").isEmpty();
        } finally {
            receiver.stop(0);
        }
    }
}
