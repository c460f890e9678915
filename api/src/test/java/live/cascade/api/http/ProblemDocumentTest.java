package live.cascade.api.http;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemDocumentTest {
    static TestNode node;
    static Account user;

    @BeforeAll
    static void start() {
        node = new TestNode("--max-body-size", "2048");
        user = node.signup("problem_user");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void assertProblem(Response r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().at("/status").asInt()).isEqualTo(status);
        assertThat(r.json().at("/title").asText()).isNotBlank();
        assertThat(r.json().at("/type").asText()).isEqualTo("about:blank");
        assertThat(r.json().at("/detail").asText()).isNotBlank();
    }

    @Test
    void malformedJsonIs400() {
        Response r = node.send("POST", "/api/channels", user.token(), "{\"slug\": ");
        assertProblem(r, 400);
        assertThat(r.json().at("/detail").asText()).contains("not valid JSON");
    }

    @Test
    void wrongFieldTypeIs400NamingTheField() {
        Response r = node.send("POST", "/api/channels", user.token(), "{\"slug\": \"abc\", \"title\": \"t\", \"category\": \"c\", \"tags\": 5}");
        assertProblem(r, 400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("tags");
    }

    @Test
    void nonJsonContentTypeIs415() {
        Response r = node.send("POST", "/api/auth/login", null, null, "Content-Type", "text/plain");
        assertProblem(r, 415);
        assertThat(r.header("Accept")).isEqualTo("application/json");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"username\": \"" + "x".repeat(4096) + "\"}";
        Response r = node.send("POST", "/api/auth/signup", null, big);
        assertProblem(r, 413);
    }

    @Test
    void unknownRouteIs404AndUnauthenticatedIs401() {
        assertProblem(node.get("/api/nothing-here", null), 404);
        Response r = node.get("/api/auth/session", null);
        assertProblem(r, 401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(node.get("/api/auth/session", "cls_not-a-real-token"), 401);
    }
}
