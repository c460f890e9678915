package live.cascade.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {
    @Test
    void readinessReportsEveryComponentWithStatusAndReason() {
        try (TestNode node = new TestNode()) {
            Response r = node.get("/readyz", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            JsonNode j = r.json();
            assertThat(j.at("/status").asText()).isEqualTo("ok");
            assertThat(j.has("version")).isTrue();
            assertThat(j.at("/uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
            for (String component : new String[]{"database", "recordings", "media", "rtmp"}) {
                assertThat(j.at("/" + component + "/status").asText()).as(component).isEqualTo("ok");
                assertThat(j.at("/" + component + "/reason").asText()).as(component).isNotBlank();
            }
            assertThat(j.at("/database/kind").asText()).isEqualTo("H2");
            assertThat(j.at("/media/sessions").asInt()).isZero();
            assertThat(j.at("/media/dtlsHandshakesWaiting").isInt()).as("the handshake queue's depth, a figure").isTrue();
            assertThat(j.at("/media/maxSessions").asInt()).as("auto: 450 per processor")
                    .isEqualTo(450 * Runtime.getRuntime().availableProcessors());
            assertThat(j.at("/rtmp/port").asText()).as("test nodes run without RTMP unless asked").isEqualTo("off");
            assertThat(j.has("redis")).as("no Redis configured, no redis component").isFalse();
            // The deprecated path answers the same document.
            JsonNode old = node.get("/healthz", null).json();
            assertThat(old.at("/status").asText()).isEqualTo("ok");
            assertThat(old.at("/media/maxSessions").asInt()).isEqualTo(j.at("/media/maxSessions").asInt());
        }
    }

    /** The database is a test-owned H2 TCP server that the test stops, never a shared one. */
    @Test
    void readinessIs503WhenTheDatabaseGoesAwayWhileLivenessStillAnswers() throws SQLException {
        Server db = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (TestNode node = new TestNode("--db-url", "jdbc:h2:tcp://127.0.0.1:" + db.getPort() + "/mem:" + UUID.randomUUID())) {
            assertThat(node.get("/readyz", null).status()).isEqualTo(200);
            db.stop();
            Response down = node.get("/readyz", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().at("/status").asText()).isEqualTo("down");
            assertThat(down.json().at("/database/status").asText()).isEqualTo("down");
            assertThat(down.json().at("/database/reason").asText()).startsWith("The database does not answer");
            assertThat(down.json().at("/media/status").asText()).as("the other components are still reported").isEqualTo("ok");
            assertThat(node.get("/healthz", null).status()).isEqualTo(503);

            Response live = node.get("/livez", null);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().at("/status").asText()).isEqualTo("ok");
        } finally {
            db.stop();
        }
    }

    /** All connections held (by the test here, by slow requests in life): busy, so the node stays in rotation. */
    @Test
    void aDatabasePoolThatIsAllInUseIsBusyNotDown() throws SQLException {
        try (TestNode node = new TestNode("--db-pool-size", "2")) { // migrations need two
            try (Connection one = node.server.database().dataSource().getConnection();
                 Connection two = node.server.database().dataSource().getConnection()) {
                assertThat(one.isValid(1) && two.isValid(1)).isTrue();
                Response busy = node.get("/readyz", null);
                assertThat(busy.status()).isEqualTo(200);
                assertThat(busy.json().at("/status").asText()).isEqualTo("degraded");
                assertThat(busy.json().at("/database/status").asText()).isEqualTo("degraded");
                assertThat(busy.json().at("/database/reason").asText()).contains("all 2 database connections are in use");
            }
            Response free = node.get("/readyz", null);
            assertThat(free.json().at("/database/status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aNodeWithBothSessionSharesFullIsNotReadyWhileOneFullShareOnlyDegradesIt() {
        try (TestNode node = new TestNode("--max-sessions", "2", "--publisher-reserve", "1")) {
            Account owner = node.signup("capacity_owner");
            Response channel = node.post("/api/channels", owner.token(), map("slug", "full", "title", "full", "category", "Test"));
            assertThat(channel.status()).as(channel.body()).isEqualTo(201);
            String key = channel.json().at("/streamKey").asText();
            Response publish = whip(node, key);
            assertThat(publish.status()).as(publish.body()).isEqualTo(201);

            Response publishersFull = node.get("/readyz", null);
            assertThat(publishersFull.status()).as("viewers can still come").isEqualTo(200);
            assertThat(publishersFull.json().at("/media/status").asText()).isEqualTo("degraded");
            assertThat(publishersFull.json().at("/media/reason").asText()).contains("--publisher-reserve");
            assertThat(publishersFull.json().at("/media/publishers").asInt()).isEqualTo(1);
            assertThat(publishersFull.json().at("/media/publisherShare").asInt()).isEqualTo(1);

            Response view = node.send("POST", "/api/whep/full", null, fixture("chromium-viewer-offer.sdp"), "Content-Type", "application/sdp");
            assertThat(view.status()).as(view.body()).isEqualTo(201);
            Response full = node.get("/readyz", null);
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.json().at("/status").asText()).isEqualTo("down");
            assertThat(full.json().at("/media/status").asText()).isEqualTo("down");
            assertThat(full.json().at("/media/sessions").asInt()).isEqualTo(2);
            assertThat(full.json().at("/media/viewers").asInt()).isEqualTo(1);
            assertThat(full.json().at("/media/viewerShare").asInt()).isEqualTo(1);
            assertThat(full.json().at("/media/reason").asText()).contains("--max-sessions");
            assertThat(full.json().at("/database/status").asText()).isEqualTo("ok");
            assertThat(node.get("/livez", null).status()).isEqualTo(200);

            assertThat(node.send("DELETE", view.header("Location"), null, null).status()).isEqualTo(200);
            Response ended = node.send("DELETE", publish.header("Location"), null, null, "Authorization", "Bearer " + key);
            assertThat(ended.status()).isEqualTo(200);
            // DELETE closes the transport on its worker before it answers, so the slots are free now.
            Response free = node.get("/readyz", null);
            assertThat(free.json().at("/media/status").asText()).as(free.body()).isEqualTo("ok");
            assertThat(free.status()).isEqualTo(200);
            assertThat(free.json().at("/media/sessions").asInt()).isZero();
        }
    }

    private static Response whip(TestNode node, String key) {
        return node.send("POST", "/api/whip", null, fixture("chromium-publisher-offer.sdp"), "Content-Type", "application/sdp", "Authorization", "Bearer " + key);
    }

    private static String fixture(String name) {
        try (InputStream in = HealthTest.class.getResourceAsStream("/whip/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void metricsExposeHttpRoutesJvmAndPool() {
        try (TestNode node = new TestNode()) {
            node.get("/readyz", null);
            node.get("/api/channels/nope", null);
            String text = node.get("/metrics", null).body();
            assertThat(text).contains("http_server_requests_seconds_bucket{");
            assertThat(text).containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/api/channels/\\{channel}\"[^}]*status=\"404\"");
            assertThat(text).contains("jvm_memory_used_bytes");
            assertThat(text).contains("hikaricp_connections");
        }
    }
}
