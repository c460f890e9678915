package live.cascade.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.NodeProcess;
import live.cascade.api.OwnRedis;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes sharing PostgreSQL and a redis-server of the test's own, which the test starts only after the
 * nodes, stops in the middle and starts again.
 */
@Tag("integration")
class RedisOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void chatSurvivesRedisGoingAwayAndHealsWhenItReturns() {
        try (OwnRedis redis = new OwnRedis(); SharedServices.PgSchema schema = SharedServices.PgSchema.create()) {
            String[] args = {"--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER, "--db-password", SharedServices.PG_PASSWORD,
                    "--redis-url", redis.url(), "--secret", TwoNodeChatTest.SECRET};
            // Both nodes start while Redis is down.
            try (NodeProcess a = NodeProcess.start(args); NodeProcess b = NodeProcess.start(args)) {
                Response h = a.http.get("/readyz", null);
                assertThat(h.status()).isEqualTo(200);
                assertThat(h.json().at("/status").asText()).isEqualTo("degraded");
                assertThat(h.json().at("/redis/status").asText()).isEqualTo("down");
                assertThat(h.json().at("/database/status").asText()).isEqualTo("ok");

                redis.start();
                awaitStatus(a, "ok");
                awaitStatus(b, "ok");

                Account owner = a.http.signup("owner"); // the first account: the administrator
                a.http.createChannel(owner, "outage");
                Account alice = a.http.signup("alice");
                Account bob = b.http.signup("bob");
                Account carol = a.http.signup("carol");
                Account dave = a.http.signup("dave");
                String ws = "/api/channels/outage/chat/ws";
                try (ChatClient onA = ChatClient.connect(a.wsUrl(ws), alice.token()); ChatClient onB = ChatClient.connect(b.wsUrl(ws), bob.token());
                     ChatClient carolOnB = ChatClient.connect(b.wsUrl(ws), carol.token()); ChatClient daveOnB = ChatClient.connect(b.wsUrl(ws), dave.token())) {
                    onA.next("hello");
                    onB.next("hello");
                    carolOnB.next("hello");
                    daveOnB.next("hello");
                    crossNode(onA, onB, "before the outage");

                    redis.stop();
                    awaitStatus(a, "degraded");
                    awaitStatus(b, "degraded");
                    assertThat(a.http.get("/readyz", null).json().at("/redis/reason").asText()).contains("does not answer");

                    // Local delivery goes on, nothing crosses, everything is stored.
                    onA.sendJson(map("type", "message", "text", "during, on A", "ref", "d1"));
                    assertThat(onA.find(isMessage("during, on A"), WAIT)).isNotNull();
                    Response viaB = b.http.post("/api/channels/outage/chat", bob.token(), map("text", "during, on B"));
                    assertThat(viaB.status()).isEqualTo(201);
                    assertThat(onB.find(isMessage("during, on B"), WAIT)).isNotNull();
                    onB.assertNone("message", Duration.ofSeconds(1));
                    assertThat(onB.seen().stream().anyMatch(isMessage("during, on A"))).isFalse();
                    for (NodeProcess n : List.of(a, b)) {
                        assertThat(n.http.get("/api/channels/outage/chat", null).json().at("/items").findValuesAsText("text"))
                                .containsExactly("before the outage", "during, on A", "during, on B");
                    }

                    // Revocations on A cannot reach B now; what carol sends on B is still refused, since posts re-check.
                    assertThat(a.http.delete("/api/auth/session", carol.token()).status()).isEqualTo(204);
                    assertThat(a.http.post("/api/users/" + dave.id() + "/suspend", owner.token(), null).status()).isEqualTo(200);
                    carolOnB.sendJson(map("type", "message", "text", "after logging out", "ref", "c1"));
                    assertThat(carolOnB.find(f -> f.path("fatal").asBoolean(), WAIT).at("/code").asText()).isEqualTo("session_ended");
                    assertThat(carolOnB.awaitClose(WAIT)).isEqualTo(4001);

                    redis.start();
                    awaitStatus(a, "ok");
                    awaitStatus(b, "ok");
                    // B re-checks its sockets when the link is back: dave's suspension, missed meanwhile, closes his.
                    assertThat(daveOnB.awaitClose(WAIT)).isEqualTo(4003);
                    assertThat(daveOnB.find(f -> f.path("fatal").asBoolean(), WAIT).at("/code").asText()).isEqualTo("suspended");
                    // Sockets hear that they may have missed something, and cross-node delivery works again.
                    assertThat(onB.next("resync", WAIT).at("/reason").asText()).isNotBlank();
                    assertThat(onA.next("resync", WAIT)).isNotNull();
                    crossNode(onA, onB, "after the outage");
                    crossNode(onB, onA, "and back");
                    assertThat(onB.find(isMessage("and back"), WAIT)).isNotNull();
                    // Exactly once each, also after the resubscription.
                    onB.assertNone("message", Duration.ofSeconds(1));
                    onA.assertNone("message", Duration.ofMillis(200));
                    assertThat(onA.seen().stream().filter(isMessage("and back")).count()).isEqualTo(1);
                    assertThat(onB.seen().stream().filter(isMessage("after the outage")).count()).isEqualTo(1);
                }
            }
        }
    }

    /**
     * Sends {@code text} on {@code from} and expects it on {@code to}, once: both nodes said "ok", which includes their
     * subscriptions having delivered a test message since Redis came back.
     */
    private static void crossNode(ChatClient from, ChatClient to, String text) {
        from.sendJson(map("type", "message", "text", text, "ref", text));
        JsonNode got = to.find(isMessage(text), WAIT);
        assertThat(got.at("/text").asText()).isEqualTo(text);
    }

    private static java.util.function.Predicate<JsonNode> isMessage(String text) {
        return f -> f.path("type").asText().equals("message") && f.path("text").asText().equals(text);
    }

    private static void awaitStatus(NodeProcess n, String status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Response r = n.http.get("/readyz", null);
            last = r.body();
            if (r.status() == 200 && r.json().at("/status").asText().equals(status)) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("health never became " + status + "; last: " + last + "\n" + n.output());
    }
}
