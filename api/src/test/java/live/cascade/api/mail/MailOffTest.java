package live.cascade.api.mail;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Without --smtp-host: flows that need mail say so, and nothing waits for a verification that cannot come. */
class MailOffTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void flowsThatNeedMailAnswer503SayingMailIsOff() {
        Account a = node.signup("nomail_a");
        Response reset = node.post("/api/auth/password-reset", null, map("email", "nomail_a@example.org"));
        assertThat(reset.status()).isEqualTo(503);
        assertThat(reset.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reset.json().at("/detail").asText()).contains("E-mail is not set up on this node (--smtp-host)").contains("password reset");
        Response resend = node.post("/api/auth/verify-email/resend", a.token(), null);
        assertThat(resend.status()).isEqualTo(503);
        assertThat(resend.json().at("/detail").asText()).contains("address verification");
        assertThat(node.get("/api/me/notifications", a.token()).json().at("/mailEnabled").asBoolean()).isFalse();
        assertThat(node.get("/readyz", null).json().at("/mail/status").asText()).isEqualTo("ok");
    }

    @Test
    void anUnverifiedAccountMayGoLiveWhenMailIsOff() {
        Account a = node.signup("nomail_b");
        assertThat(node.get("/api/auth/session", a.token()).json().at("/user/emailVerified").asBoolean()).isFalse();
        String key = node.post("/api/channels", a.token(), map("slug", "nomail_b", "title", "t", "category", "Test")).json().at("/streamKey").asText();
        Response r = node.send("POST", "/api/whip", key, "v=0\r\n", "Content-Type", "application/sdp");
        // Not refused for the address: the offer reaches the SDP parser, which refuses this one for what it is.
        assertThat(r.status()).isNotEqualTo(403);
    }

    @Test
    void aMalformedUnsubscribeLinkIsA400WithAnActionableDetail() {
        Response r = node.send("POST", "/api/notifications/unsubscribe?u=1&c=0&s=forged", null, "List-Unsubscribe=One-Click",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/detail").asText()).contains("copy the whole link");
    }
}
