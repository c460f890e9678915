package live.cascade.api.users;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin role management: {@code PATCH /api/users/{id}} with a role, by admins only, recorded in the site-wide log,
 * never leaving the node without an active admin; and {@code --bootstrap-admin} instead of "first sign-up wins".
 */
class UserRolesApiTest {

    static Response role(TestNode node, Account caller, long userId, String role) {
        return node.send("PATCH", "/api/users/" + userId, caller.token(), map("role", role));
    }

    static void assertProblem(Response r, int status, String detailContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().at("/detail").asText()).contains(detailContains);
    }

    @Test
    void anAdminMakesAnotherAccountAdminAndTheLogSaysWhoDidIt() {
        try (TestNode node = new TestNode()) {
            Account admin = node.signup("roles_admin"); // the first account, without --bootstrap-admin
            Account bob = node.signup("roles_bob");
            assertThat(node.get("/api/users", bob.token()).status()).isEqualTo(403);
            assertProblem(role(node, bob, bob.id(), "admin"), 403, "admin");

            Response made = role(node, admin, bob.id(), "admin");
            assertThat(made.status()).as(made.body()).isEqualTo(200);
            assertThat(made.json().at("/role").asText()).isEqualTo("admin");
            assertThat(node.get("/api/users", bob.token()).status()).as("bob's next request is an admin's").isEqualTo(200);
            assertThat(role(node, admin, bob.id(), "admin").status()).as("already admin: nothing to do").isEqualTo(200);

            JsonNode log = node.get("/api/admin/log", admin.token()).json().at("/items");
            assertThat(log).hasSize(1);
            assertThat(log.get(0).at("/action").asText()).isEqualTo("role_changed");
            assertThat(log.get(0).at("/actor/username").asText()).isEqualTo("roles_admin");
            assertThat(log.get(0).at("/target/id").asLong()).isEqualTo(bob.id());
            assertThat(log.get(0).at("/detail").asText()).isEqualTo("user -> admin");
            assertThat(node.get("/api/admin/log", node.signup("roles_carol").token()).status()).isEqualTo(403);

            assertProblem(role(node, admin, bob.id(), "root"), 400, "\"admin\" or \"user\"");
            assertThat(role(node, admin, bob.id(), "root").json().at("/errors/0/field").asText()).isEqualTo("role");
            assertProblem(role(node, admin, 987_654, "user"), 404, "987654");
        }
    }

    @Test
    void theLastActiveAdminCannotStepDown() {
        try (TestNode node = new TestNode()) {
            Account admin = node.signup("last_admin");
            Account bob = node.signup("last_bob");
            assertProblem(role(node, admin, admin.id(), "user"), 409, "last active administrator");

            // A suspended admin does not count: it cannot act.
            assertThat(role(node, admin, bob.id(), "admin").status()).isEqualTo(200);
            assertThat(node.post("/api/users/" + bob.id() + "/suspend", admin.token(), "{}").status()).isEqualTo(200);
            assertProblem(role(node, admin, admin.id(), "user"), 409, "last active administrator");

            assertThat(node.post("/api/users/" + bob.id() + "/restore", admin.token(), "{}").status()).isEqualTo(200);
            Account bobAgain = new Account(bob.id(), bob.username(), login(node, bob), bob.password());
            Response stepDown = role(node, admin, admin.id(), "user");
            assertThat(stepDown.status()).as(stepDown.body()).isEqualTo(200);
            assertThat(node.get("/api/users", admin.token()).status()).as("no longer an admin").isEqualTo(403);
            assertProblem(role(node, bobAgain, bob.id(), "user"), 409, "last_bob is the last active administrator");
        }
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() {
        try (TestNode node = new TestNode()) {
            Account a = node.signup("race_a");
            Account b = node.signup("race_b");
            assertThat(role(node, a, b.id(), "admin").status()).isEqualTo(200);
            CompletableFuture<Response> aDemotesB = CompletableFuture.supplyAsync(() -> role(node, a, b.id(), "user"));
            CompletableFuture<Response> bDemotesA = CompletableFuture.supplyAsync(() -> role(node, b, a.id(), "user"));
            List<Integer> statuses = List.of(aDemotesB.join().status(), bDemotesA.join().status());
            // Either one wins and the other is refused (409, or 403 when it arrives already demoted).
            assertThat(statuses).as(statuses.toString()).containsOnlyOnce(200);
            long admins = node.server.database().users().list(10, 0).stream()
                    .filter(u -> u.role() == live.cascade.db.Role.ADMIN).count();
            assertThat(admins).isEqualTo(1);
        }
    }

    @Test
    void withABootstrapAdminTheFirstSignUpIsAnOrdinaryUser() {
        try (TestNode node = new TestNode("--bootstrap-admin", "Boss_1")) {
            Response first = node.post("/api/auth/signup", null,
                    map("username", "early_bird", "email", "early@example.org", "password", "a long passphrase here"));
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.json().at("/user/role").asText()).isEqualTo("user");
            Response boss = node.post("/api/auth/signup", null,
                    map("username", "boss_1", "email", "boss@example.org", "password", "a long passphrase here"));
            assertThat(boss.json().at("/user/role").asText()).as("the name matches ignoring case").isEqualTo("admin");
        }
    }

    @Test
    void aBootstrapAdminThatExistsAlreadyIsMadeAdminAtStart(@TempDir Path dir) {
        String db = "jdbc:h2:file:" + dir.resolve("cascade");
        Account bob;
        try (TestNode node = new TestNode("--db-url", db)) {
            node.signup("start_alice"); // first sign-up: admin
            bob = node.signup("start_bob");
        }
        try (TestNode node = new TestNode("--db-url", db, "--bootstrap-admin", "start_bob")) {
            String token = login(node, bob);
            assertThat(node.get("/api/auth/session", token).json().at("/user/role").asText()).isEqualTo("admin");
            JsonNode log = node.get("/api/admin/log", token).json().at("/items");
            assertThat(log).hasSize(1);
            assertThat(log.get(0).at("/target/username").asText()).isEqualTo("start_bob");
            assertThat(log.get(0).has("actor")).as("the node itself acted").isFalse();
        }
    }

    static String login(TestNode node, Account who) {
        Response r = node.post("/api/auth/login", null, map("login", who.username(), "password", who.password()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/token").asText();
    }
}
