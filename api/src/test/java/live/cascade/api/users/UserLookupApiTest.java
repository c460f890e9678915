package live.cascade.api.users;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/users/by-username/{username}: how the pages turn a name someone typed into a user id. */
class UserLookupApiTest {
    static TestNode node;
    static Account admin;

    @BeforeAll
    static void start() {
        node = new TestNode();
        admin = node.signup("lookup_admin");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aUsernameInAnyCaseFindsThePublicViewWithoutTheEmail() {
        Account grace = node.signup("Grace_H");
        Response r = node.get("/api/users/by-username/grace_h", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/id").asLong()).isEqualTo(grace.id());
        assertThat(r.json().at("/username").asText()).isEqualTo("Grace_H");
        assertThat(r.json().has("email")).as("no email for the public").isFalse();
        assertThat(node.get("/api/users/by-username/Grace_H", grace.token()).json().at("/email").asText()).isEqualToIgnoringCase("grace_h@example.org");
    }

    @Test
    void anUnknownNameOrSomeonesEmailIs404WithAProblemDocument() {
        node.signup("hopper");
        Response unknown = node.get("/api/users/by-username/nobody_by_that_name", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().at("/detail").asText()).contains("nobody_by_that_name");
        assertThat(node.get("/api/users/by-username/hopper@example.org", null).status()).as("an email is not a username").isEqualTo(404);
    }

    @Test
    void aSuspendedUserIsHiddenFromOthersButNotFromAdmins() {
        Account ada = node.signup("ada_l");
        assertThat(node.post("/api/users/" + ada.id() + "/suspend", admin.token(), null).status()).isEqualTo(200);
        assertThat(node.get("/api/users/by-username/ada_l", null).status()).isEqualTo(404);
        assertThat(node.get("/api/users/by-username/ada_l", admin.token()).json().at("/suspended").asBoolean()).isTrue();
    }
}
