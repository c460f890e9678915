package live.cascade.api.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Coturn;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The node's TURN REST credentials against the real coturn ({@code use-auth-secret}): what {@code GET /api/ice-servers}
 * hands out allocates, an expired credential and one minted with another secret are refused with 401.
 */
@Tag("integration")
class TurnCredentialsCoturnTest {
    private static final String SECRET = "coturn-shared-secret-for-tests-7";
    static Coturn coturn;
    static TestNode node;

    @BeforeAll
    static void start() {
        coturn = Coturn.start("127.0.0.1", SECRET, "cascade.test", List.of());
        node = new TestNode("--turn-urls", "turn:127.0.0.1:" + coturn.port() + "?transport=udp", "--turn-secret", SECRET,
                "--ice-servers", "stun:127.0.0.1:" + coturn.port());
    }

    @AfterAll
    static void stop() {
        try {
            if (node != null) node.close();
        } finally {
            if (coturn != null) coturn.close();
        }
    }

    @Test
    void theCredentialTheApiHandsOutAllocatesOnCoturn() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url("/api/ice-servers"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = Json.MAPPER.readTree(r.body());
        JsonNode turn = body.at("/iceServers/1");
        assertThat(body.at("/iceServers/0/urls/0").asText()).startsWith("stun:");
        assertThat(turn.at("/urls/0").asText()).isEqualTo("turn:127.0.0.1:" + coturn.port() + "?transport=udp");
        long expiry = Long.parseLong(turn.at("/username").asText().split(":")[0]);
        assertThat(expiry - Instant.now().getEpochSecond()).as("default lifetime 5 min").isBetween(290L, 301L);

        TurnAllocate.Outcome outcome = TurnAllocate.allocate(coturn.address(), turn.at("/username").asText(),
                turn.at("/credential").asText());

        assertThat(outcome.allocated()).as(outcome + "\n" + coturn.log()).isTrue();
    }

    @Test
    void anExpiredCredentialIsRefused() {
        TurnCredential expired = new TurnCredentials(SECRET, Duration.ofMinutes(5), Clock.systemUTC())
                .mint("late", Instant.now().minusSeconds(5));
        TurnAllocate.Outcome outcome = TurnAllocate.allocate(coturn.address(), expired.username(), expired.password());
        assertThat(outcome.errorCode()).as(outcome + "\n" + coturn.log()).isEqualTo(401);
    }

    @Test
    void aCredentialMintedWithAnotherSecretIsRefused() {
        TurnCredential forged = new TurnCredentials("not-the-shared-secret-at-all-00", Duration.ofMinutes(5), Clock.systemUTC()).mint();
        TurnAllocate.Outcome outcome = TurnAllocate.allocate(coturn.address(), forged.username(), forged.password());
        assertThat(outcome.errorCode()).as(outcome + "\n" + coturn.log()).isEqualTo(401);
    }
}
