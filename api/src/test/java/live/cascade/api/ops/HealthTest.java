package live.cascade.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Response;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {
    @Test
    void healthReportsDatabaseVersionAndUptime() {
        try (TestNode node = new TestNode()) {
            Response r = node.get("/healthz", null);
            assertThat(r.status()).isEqualTo(200);
            JsonNode j = r.json();
            assertThat(j.at("/status").asText()).isEqualTo("ok");
            assertThat(j.at("/database/status").asText()).isEqualTo("up");
            assertThat(j.at("/database/kind").asText()).isEqualTo("H2");
            assertThat(j.has("version")).isTrue();
            assertThat(j.at("/uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    /** The database is a test-owned H2 TCP server that the test stops, never a shared one. */
    @Test
    void healthIs503WhenTheDatabaseGoesAway() throws SQLException {
        Server db = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try (TestNode node = new TestNode("--db-url", "jdbc:h2:tcp://127.0.0.1:" + db.getPort() + "/mem:" + UUID.randomUUID())) {
            assertThat(node.get("/healthz", null).status()).isEqualTo(200);
            db.stop();
            Response down = node.get("/healthz", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().at("/status").asText()).isEqualTo("down");
            assertThat(down.json().at("/database/status").asText()).isEqualTo("down");
            assertThat(down.json().at("/database/detail").asText()).isNotBlank();
        } finally {
            db.stop();
        }
    }

    @Test
    void metricsExposeHttpRoutesJvmAndPool() {
        try (TestNode node = new TestNode()) {
            node.get("/healthz", null);
            node.get("/api/channels/nope", null);
            String text = node.get("/metrics", null).body();
            assertThat(text).contains("http_server_requests_seconds_bucket{");
            assertThat(text).containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/api/channels/\\{channel}\"[^}]*status=\"404\"");
            assertThat(text).contains("jvm_memory_used_bytes");
            assertThat(text).contains("hikaricp_connections");
        }
    }
}
