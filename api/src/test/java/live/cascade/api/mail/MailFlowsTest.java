package live.cascade.api.mail;

import jakarta.mail.internet.MimeMessage;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static live.cascade.api.TestNode.map;
import static live.cascade.api.mail.MailServer.await;
import static live.cascade.api.mail.MailServer.body;
import static live.cascade.api.mail.MailServer.link;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mail flows end to end against a real SMTP server (GreenMail) started by the test: the node sends, the test reads
 * the mail back and follows its links as a person (or their mail client) would.
 */
@Tag("integration")
class MailFlowsTest {
    static MailServer smtp;
    static TestNode node;

    @BeforeAll
    static void start() {
        smtp = new MailServer().start();
        node = new TestNode("--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(smtp.port), "--smtp-tls", "none",
                "--mail-from", "Cascade Live <noreply@example.org>", "--mail-retry-max-backoff", "1s",
                // A closed publisher ends its broadcast after this, so a channel can go live again soon (flapping).
                "--publisher-grace", "1s");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        if (smtp != null) smtp.close();
    }

    static String email(Account a) {
        return a.username() + "@example.org";
    }

    /** Follows the verification link of the account's {@code n}th mail. */
    static void verify(Account a, int n) {
        MimeMessage mail = smtp.awaitMail(email(a), n);
        String url = link(mail, "http://\\S+/api/auth/verify-email\\?token=\\S+");
        Response r = node.send("GET", URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery(), null, null);
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/?emailVerified=1");
    }

    static Response publish(String streamKey) {
        return node.send("POST", "/api/whip", streamKey, "v=0\r\n", "Content-Type", "application/sdp");
    }

    @Test
    void aNewAccountVerifiesItsAddressByTheMailedLinkBeforeItCanGoLive() throws Exception {
        Account alice = node.signup("mail_alice");
        assertThat(node.get("/api/auth/session", alice.token()).json().at("/user/emailVerified").asBoolean()).isFalse();
        String key = node.post("/api/channels", alice.token(), map("slug", "mail_alice", "title", "t", "category", "Test"))
                .json().at("/streamKey").asText();
        Response refused = publish(key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/detail").asText()).contains("has not verified their e-mail address");

        MimeMessage mail = smtp.awaitMail(email(alice), 1);
        assertThat(mail.getSubject()).isEqualTo("Confirm your e-mail address");
        assertThat(mail.getFrom()[0].toString()).contains("noreply@example.org");
        assertThat(mail.getHeader("List-Unsubscribe")).as("account mail has no unsubscribe").isNull();
        String url = link(mail, "http://\\S+/api/auth/verify-email\\?token=\\S+");
        assertThat(url).startsWith(node.url("/"));
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();

        Response followed = node.send("GET", path, null, null);
        assertThat(followed.status()).isEqualTo(303);
        assertThat(followed.header("Location")).isEqualTo("/?emailVerified=1");
        assertThat(node.get("/", null).status()).as("the page the link lands on").isEqualTo(200);
        assertThat(node.get("/api/auth/session", alice.token()).json().at("/user/emailVerified").asBoolean()).isTrue();
        Response second = node.send("GET", path, null, null);
        assertThat(second.header("Location")).as("the link works once").isEqualTo("/?emailVerified=0");

        // The gate is gone: the offer now reaches the SDP parser, which refuses this one for what it is.
        Response allowed = publish(key);
        assertThat(allowed.status()).isNotEqualTo(403);
        assertThat(node.post("/api/auth/verify-email/resend", alice.token(), null).status()).isEqualTo(409);
    }

    @Test
    void aResentVerificationLinkReplacesTheFirst() throws Exception {
        Account a = node.signup("mail_resend");
        MimeMessage first = smtp.awaitMail(email(a), 1);
        assertThat(node.post("/api/auth/verify-email/resend", a.token(), null).status()).isEqualTo(202);
        MimeMessage second = smtp.awaitMail(email(a), 2);
        String oldToken = URI.create(link(first, "http://\\S+verify-email\\?token=\\S+")).getQuery().substring("token=".length());
        Response old = node.post("/api/auth/verify-email", null, map("token", oldToken));
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().at("/errors/0/field").asText()).isEqualTo("token");
        String newToken = URI.create(link(second, "http://\\S+verify-email\\?token=\\S+")).getQuery().substring("token=".length());
        assertThat(node.post("/api/auth/verify-email", null, map("token", newToken)).status()).isEqualTo(204);
    }

    @Test
    void passwordResetByTheMailedLinkIsSingleUseAndTellsNothingAboutUnknownAddresses() throws Exception {
        Account bob = node.signup("mail_bob");
        verify(bob, 1);
        Response known = node.post("/api/auth/password-reset", null, map("email", "MAIL_BOB@example.org"));
        Response unknown = node.post("/api/auth/password-reset", null, map("email", "nobody_here@example.org"));
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo(known.body());

        MimeMessage mail = smtp.awaitMail(email(bob), 2);
        assertThat(mail.getSubject()).isEqualTo("Reset your password");
        String url = link(mail, "http://\\S+/reset-password\\?token=\\S+");
        URI u = URI.create(url);
        Response page = node.get(u.getRawPath() + "?" + u.getRawQuery(), null);
        assertThat(page.status()).as("the link opens the app's reset page").isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String token = u.getQuery().substring("token=".length());

        Response weak = node.post("/api/auth/password-reset/confirm", null, map("token", token, "password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().at("/errors/0/field").asText()).isEqualTo("password");
        String newPassword = "correct horse reset staple";
        assertThat(node.post("/api/auth/password-reset/confirm", null, map("token", token, "password", newPassword)).status())
                .as("a refused password leaves the link usable").isEqualTo(204);
        assertThat(node.post("/api/auth/password-reset/confirm", null, map("token", token, "password", newPassword + "2")).status())
                .as("single use").isEqualTo(400);
        assertThat(node.get("/api/auth/session", bob.token()).status()).as("old sessions end").isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", "mail_bob", "password", bob.password())).status()).isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", "mail_bob", "password", newPassword)).status()).isEqualTo(200);
        assertThat(smtp.to("nobody_here@example.org")).isEmpty();
    }

    @Test
    void followersAreToldOnceWhenAChannelGoesLiveAndUnsubscribeWithOneClick() throws Exception {
        Account carol = node.signup("mail_carol");
        Account erin = node.signup("mail_erin");
        Account dave = node.signup("mail_dave");
        verify(carol, 1);
        verify(erin, 1);
        verify(dave, 1);
        String carolKey = channel(carol, "carol_live");
        String erinKey = channel(erin, "erin_live");
        assertThat(node.post("/api/channels/carol_live/follow", dave.token(), null).status()).isIn(200, 201, 204);
        assertThat(node.post("/api/channels/erin_live/follow", dave.token(), null).status()).isIn(200, 201, 204);

        goLiveAndEnd(carolKey, "carol_live");
        MimeMessage notice = smtp.awaitMail(email(dave), 2);
        assertThat(notice.getSubject()).startsWith("carol_live is live");
        assertThat(body(notice)).contains(node.url("/c/carol_live"));
        String unsubscribe = notice.getHeader("List-Unsubscribe")[0];
        assertThat(unsubscribe).startsWith("<" + node.url("/api/notifications/unsubscribe?")).endsWith(">");
        assertThat(notice.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

        // Flapping: carol goes live again at once; then erin goes live. Notices are handled in order, so once erin's
        // has arrived, a second one for carol would have too.
        goLiveAndEnd(carolKey, "carol_live");
        goLiveAndEnd(erinKey, "erin_live");
        MimeMessage erinNotice = smtp.awaitMail(email(dave), 3);
        assertThat(erinNotice.getSubject()).startsWith("erin_live is live");
        assertThat(smtp.to(email(dave))).filteredOn(m -> subject(m).startsWith("carol_live")).hasSize(1);
        assertThat(smtp.to(email(carol))).as("the owner is not told about their own channel").hasSize(1);

        // RFC 8058 one-click: a POST of exactly this body, no cookies, no login.
        URI oneClick = URI.create(unsubscribe.substring(1, unsubscribe.length() - 1));
        String path = oneClick.getRawPath() + "?" + oneClick.getRawQuery();
        Response done = node.send("POST", path, null, "List-Unsubscribe=One-Click", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(done.status()).isEqualTo(200);
        long carolChannel = node.get("/api/channels/carol_live", null).json().at("/id").asLong();
        long erinChannel = node.get("/api/channels/erin_live", null).json().at("/id").asLong();
        assertThat(node.server.database().follows().notifyLive(dave.id(), carolChannel)).isFalse();
        assertThat(node.server.database().follows().notifyLive(dave.id(), erinChannel)).as("only that channel").isTrue();
        Response tampered = node.send("POST", path.replace("u=" + dave.id(), "u=" + carol.id()), null, "List-Unsubscribe=One-Click",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(tampered.status()).isEqualTo(400);

        // The "stop all" link in the text: a GET only shows a button (scanners fetch links), the POST unsubscribes.
        URI all = URI.create(link(erinNotice, "http://\\S+/api/notifications/unsubscribe\\?u=\\d+&c=0&s=\\S+"));
        String allPath = all.getRawPath() + "?" + all.getRawQuery();
        assertThat(node.get(allPath, null).body()).contains("<form method=\"post\">");
        assertThat(node.get("/api/me/notifications", dave.token()).json().at("/liveNotifications").asBoolean()).isTrue();
        assertThat(node.send("POST", allPath, null, "", "Content-Type", "application/x-www-form-urlencoded").status()).isEqualTo(200);
        assertThat(node.get("/api/me/notifications", dave.token()).json().at("/liveNotifications").asBoolean()).isFalse();
        assertThat(node.server.database().follows().liveNoticeRecipients(erinChannel)).isEmpty();
    }

    @Test
    void anSmtpOutageDelaysMailWithoutLosingIt() throws Exception {
        Account frank = node.signup("mail_frank");
        verify(frank, 1);
        smtp.stop();
        try {
            assertThat(node.post("/api/auth/password-reset", null, map("email", email(frank))).status()).isEqualTo(202);
            await("the mail component reports the outage", () -> readyMail().path("status").asText().equals("degraded"));
            assertThat(readyMail().at("/pending").asLong()).isGreaterThanOrEqualTo(1);
        } finally {
            smtp.start();
        }
        MimeMessage reset = smtp.awaitMail(email(frank), 1);
        assertThat(reset.getSubject()).isEqualTo("Reset your password");
        await("the mail component recovers", () -> readyMail().path("status").asText().equals("ok"));
    }

    static com.fasterxml.jackson.databind.JsonNode readyMail() {
        return node.get("/readyz", null).json().at("/mail");
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String channel(Account owner, String slug) {
        Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug + " plays", "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    static void goLiveAndEnd(String key, String slug) throws Exception {
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(node.url("/api/whip")), key, ClientOptions.defaults().withAudio(false))) {
            pub.send(pub.video().h264(0, true));
            await(slug + " is live", () -> node.get("/api/channels/" + slug, null).json().at("/live").asBoolean());
        }
        await(slug + " ended", () -> !node.get("/api/channels/" + slug, null).json().at("/live").asBoolean());
    }
}
