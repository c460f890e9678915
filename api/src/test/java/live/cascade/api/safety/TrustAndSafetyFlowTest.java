package live.cascade.api.safety;

import jakarta.mail.internet.MimeMessage;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.api.mail.MailServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import static live.cascade.api.TestNode.map;
import static live.cascade.api.mail.MailServer.body;
import static live.cascade.api.mail.MailServer.link;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trust and safety end to end on PostgreSQL, with a real SMTP server (GreenMail) reading what the affected people are
 * told: report → admin action → appeal (through the mailed link, while suspended) → decision; DMCA notice → content
 * disabled → counter-notice → restored after the waiting period; Terms acceptance at signup; problem documents.
 */
@Tag("integration")
class TrustAndSafetyFlowTest {
    static MailServer smtp;
    static SharedServices.PgSchema schema;
    static TestNode node;
    static Account admin;
    static Account troll;
    static Account reporter;
    static Account uploader;
    static Account stranger;

    @BeforeAll
    static void start() {
        SharedServices.requirePostgres();
        smtp = new MailServer().start();
        schema = SharedServices.PgSchema.create();
        node = new TestNode("--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER, "--db-password", SharedServices.PG_PASSWORD,
                "--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(smtp.port), "--smtp-tls", "none",
                "--mail-from", "Cascade Live <noreply@example.org>", "--mail-retry-max-backoff", "1s");
        // Every account before any test publishes Terms (from then on a signup must accept them).
        admin = node.signup("ts_admin");
        troll = node.signup("ts_troll");
        reporter = node.signup("ts_reporter");
        uploader = node.signup("ts_uploader");
        stranger = node.signup("ts_stranger");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        if (schema != null) schema.close();
        if (smtp != null) smtp.close();
    }

    static String email(Account a) {
        return a.username() + "@example.org";
    }

    /** The number of mails the account got so far (verification mails included). */
    static int mails(Account a) {
        return smtp.to(email(a)).size();
    }

    static Response ok(Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }

    @Test
    void aReportedUserIsSuspendedAppealsThroughTheMailedLinkAndIsRestored() {
        ok(node.post("/api/channels", troll.token(), map("slug", "ts_trollchan", "title", "t", "category", "Test")), 201);
        long channelId = node.get("/api/channels/ts_trollchan", null).json().at("/id").asLong();

        Response bad = node.post("/api/reports", reporter.token(), map("subjectKind", "planet", "subjectId", 1, "reason", "rude"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).contains("application/problem+json");
        assertThat(bad.body()).contains("subjectKind").contains("reason");
        assertThat(node.post("/api/reports", reporter.token(), map("subjectKind", "channel", "subjectId", 99_999_999, "reason", "spam")).status())
                .isEqualTo(404);
        assertThat(node.post("/api/reports", null, map("subjectKind", "channel", "subjectId", channelId, "reason", "spam")).status())
                .as("signed-in only").isEqualTo(401);
        long reportId = ok(node.post("/api/reports", reporter.token(), map("subjectKind", "channel", "subjectId", channelId,
                "reason", "harassment", "details", "insults in every title", "evidenceUrl", "https://example.org/shot.png")), 201)
                .json().at("/id").asLong();

        assertThat(node.get("/api/admin/reports", reporter.token()).status()).as("admins only").isEqualTo(403);
        Response queue = ok(node.get("/api/admin/reports?state=open", admin.token()), 200);
        assertThat(queue.json().at("/items/0/id").asLong()).isEqualTo(reportId);
        assertThat(queue.json().at("/items/0/subjectUserId").asLong()).isEqualTo(troll.id());
        ok(node.send("PATCH", "/api/admin/reports/" + reportId, admin.token(), map("state", "triaged", "assigneeId", admin.id())), 200);
        assertThat(node.get("/api/admin/reports?assignee=me", admin.token()).json().at("/items/0/state").asText()).isEqualTo("triaged");
        assertThat(node.send("PATCH", "/api/admin/reports/" + reportId, admin.token(), map("assigneeId", troll.id())).json()
                .at("/errors/0/field").asText()).as("assign to admins only").isEqualTo("assigneeId");
        Response wrongAction = node.post("/api/admin/reports/" + reportId + "/actions", admin.token(), map("action", "delete_message", "reason", "x"));
        assertThat(wrongAction.status()).isEqualTo(400);
        assertThat(wrongAction.body()).contains("does not apply to a report on a channel");

        int before = mails(troll);
        Response acted = ok(node.post("/api/admin/reports/" + reportId + "/actions", admin.token(),
                map("action", "suspend_user", "reason", "Harassment in channel titles.")), 201);
        assertThat(acted.json().at("/report/state").asText()).isEqualTo("actioned");
        assertThat(acted.json().at("/userNotified").asBoolean()).isTrue();
        assertThat(node.get("/api/auth/session", troll.token()).status()).as("the suspended account's sessions ended").isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", troll.username(), "password", troll.password())).status()).isEqualTo(403);

        MimeMessage notice = smtp.awaitMail(email(troll), before + 1);
        assertThat(body(notice)).contains("your account was suspended").contains("Harassment in channel titles.");
        String appealUrl = link(notice, "http://\\S+/appeal\\?token=ap_\\S+");
        String token = URI.create(appealUrl).getQuery().substring("token=".length());
        Response what = ok(node.get("/api/appeals/enforcement?token=" + token, null), 200);
        assertThat(what.json().at("/enforcement/kind").asText()).isEqualTo("user_suspended");
        assertThat(what.json().at("/appealable").asBoolean()).isTrue();
        assertThat(node.post("/api/appeals", null, map("token", token)).json().at("/errors/0/field").asText()).isEqualTo("statement");
        long appealId = ok(node.post("/api/appeals", null, map("token", token, "statement", "Those were song lyrics.")), 201)
                .json().at("/id").asLong();
        assertThat(node.post("/api/appeals", null, map("token", token, "statement", "again")).status()).as("one appeal per action").isEqualTo(409);

        assertThat(ok(node.get("/api/admin/appeals?state=pending", admin.token()), 200).json().at("/items/0/appeal/id").asLong()).isEqualTo(appealId);
        assertThat(node.post("/api/admin/appeals/" + appealId + "/decision", admin.token(), map("decision", "maybe", "note", "x")).status()).isEqualTo(400);
        Response decided = ok(node.post("/api/admin/appeals/" + appealId + "/decision", admin.token(),
                map("decision", "reverse", "note", "Lyrics, not insults: restored.")), 200);
        assertThat(decided.json().at("/appeal/state").asText()).isEqualTo("reversed");
        assertThat(decided.json().at("/enforcement/reversedAt").isNull()).isFalse();
        assertThat(node.post("/api/admin/appeals/" + appealId + "/decision", admin.token(), map("decision", "uphold", "note", "x")).status())
                .isEqualTo(409);
        MimeMessage outcome = smtp.awaitMail(email(troll), before + 2);
        assertThat(body(outcome)).contains("Lyrics, not insults: restored.").contains("reversed");
        assertThat(node.post("/api/auth/login", null, map("login", troll.username(), "password", troll.password())).status())
                .as("restored: logs in again").isEqualTo(200);

        String log = ok(node.get("/api/admin/log?limit=50", admin.token()), 200).body();
        for (String step : new String[]{"platform_report_filed", "platform_report_updated", "enforcement_taken", "appeal_filed",
                "enforcement_reversed", "appeal_decided"}) {
            assertThat(log).as("audited: " + step).contains(step);
        }
    }

    @Test
    void aDmcaNoticeDisablesARecordingACounterNoticeRestoresItAfterTheWaitingPeriod() throws Exception {
        ok(node.post("/api/channels", uploader.token(), map("slug", "ts_covers", "title", "covers", "category", "Music")), 201);
        long channelId = node.get("/api/channels/ts_covers", null).json().at("/id").asLong();
        var db = node.server.database();
        long recId = db.recordings().create(new live.cascade.db.NewRecording(channelId, null, null, "Cover of Song X",
                live.cascade.db.Recording.READY, null, "mp4", "h264", "opus", 640, 360, 1000, 8,
                "recordings/" + channelId + "/r/recording.mp4", null, null, Instant.now(), 1)).id();
        db.recordings().publish(recId, Instant.now());

        var notice = map("recordingId", recId, "claimantName", "Label Inc.", "claimantEmail", "legal@label.example",
                "claimantAddress", "1 Main St, Springfield", "workDescription", "Song X (2020)",
                "infringingLocation", "/api/recordings/" + recId, "signature", "/s/ J. Doe", "goodFaith", true, "accurate", false);
        Response missingOath = node.post("/api/admin/dmca", admin.token(), notice);
        assertThat(missingOath.status()).isEqualTo(400);
        assertThat(missingOath.json().at("/errors/0/field").asText()).isEqualTo("accurate");
        notice.put("accurate", true);
        int before = mails(uploader);
        Response recorded = ok(node.post("/api/admin/dmca", admin.token(), notice), 201);
        long noticeId = recorded.json().at("/notice/id").asLong();
        assertThat(recorded.json().at("/notice/state").asText()).isEqualTo("content_disabled");
        assertThat(node.get("/api/recordings/" + recId, null).status()).as("disabled for viewers").isEqualTo(404);
        assertThat(node.post("/api/recordings/" + recId + "/restore", admin.token(), null).status())
                .as("the plain restore does not lift a DMCA hold").isEqualTo(409);

        MimeMessage toUploader = smtp.awaitMail(email(uploader), before + 1);
        assertThat(body(toUploader)).contains("Song X (2020)").contains("/dmca/" + noticeId);
        assertThat(ok(node.get("/api/dmca", uploader.token()), 200).json().at("/items/0/id").asLong()).isEqualTo(noticeId);

        var counter = map("name", "Up Loader", "address", "2 Side St", "statement", "My own arrangement, licensed.",
                "signature", "/s/ U. L.", "goodFaith", true, "consentToJurisdiction", true);
        assertThat(node.post("/api/dmca/" + noticeId + "/counter-notice", stranger.token(), counter).status()).isEqualTo(403);
        Response countered = ok(node.post("/api/dmca/" + noticeId + "/counter-notice", uploader.token(), counter), 200);
        Instant restoreAfter = Instant.parse(countered.json().at("/notice/restoreAfter").asText());
        assertThat(restoreAfter).as("10 business days: 12 to 14 calendar days").isAfter(Instant.now().plus(Duration.ofDays(11)))
                .isBefore(Instant.now().plus(Duration.ofDays(15)));
        MimeMessage toClaimant = smtp.awaitMail("legal@label.example", 1);
        assertThat(body(toClaimant)).contains("My own arrangement, licensed.");

        Response early = node.post("/api/admin/dmca/" + noticeId + "/restore", admin.token(), null);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().at("/detail").asText()).contains("may be restored from");

        // The waiting period passes: moved back in the database rather than waited for.
        try (var c = DriverManager.getConnection(schema.jdbcUrl(), SharedServices.PG_USER, SharedServices.PG_PASSWORD);
             var st = c.prepareStatement("UPDATE dmca_notices SET restore_after = ? WHERE id = ?")) {
            st.setObject(1, OffsetDateTime.now().minusMinutes(1));
            st.setLong(2, noticeId);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        Response restored = ok(node.post("/api/admin/dmca/" + noticeId + "/restore", admin.token(), map("note", "No suit reported.")), 200);
        assertThat(restored.json().at("/notice/state").asText()).isEqualTo("restored");
        assertThat(node.get("/api/recordings/" + recId, null).status()).as("back for viewers").isEqualTo(200);
        assertThat(body(smtp.awaitMail(email(uploader), before + 2))).contains("the recording is restored");
        assertThat(body(smtp.awaitMail("legal@label.example", 2))).contains("restored");
        assertThat(node.post("/api/admin/dmca/" + noticeId + "/keep-down", admin.token(), map("note", "late")).status()).isEqualTo(409);
        String log = node.get("/api/admin/log?limit=50", admin.token()).body();
        assertThat(log).contains("dmca_notice_recorded").contains("dmca_counter_notice").contains("dmca_restored");
    }

    @Test
    void signupAcceptsTheCurrentTermsOnceTheyArePublishedAndTheBirthYearIsConfirmedOnce() {
        assertThat(node.get("/api/legal", null).json().at("/terms").isNull()).as("none published yet").isTrue();
        assertThat(node.get("/api/legal/terms", null).status()).isEqualTo(404);
        assertThat(node.send("PUT", "/api/admin/legal/terms", admin.token(), map("body", " ")).status()).isEqualTo(400);
        assertThat(node.send("PUT", "/api/admin/legal/terms", troll.token(), map("body", "mine")).status()).isIn(401, 403);
        int version = ok(node.send("PUT", "/api/admin/legal/terms", admin.token(), map("body", "Be kind.\n\nNo spam.")), 201)
                .json().at("/version").asInt();
        ok(node.send("PUT", "/api/admin/legal/privacy", admin.token(), map("body", "We keep your e-mail address.")), 201);
        // The accounts made before the texts accept them as the web app's /accept-terms would, so this class's other
        // tests (in whatever order they run) are not held by the terms gate (TermsAndAgeGateTest covers the gate).
        for (Account a : new Account[] {troll, reporter, uploader, stranger}) {
            node.server.database().safety().legal().accept(a.id(), "terms", version);
            node.server.database().safety().legal().accept(a.id(), "privacy", 1);
        }
        assertThat(node.get("/api/legal/terms", null).json().at("/body").asText()).isEqualTo("Be kind.\n\nNo spam.");
        assertThat(node.get("/api/legal/cookies", null).status()).isEqualTo(404);
        assertThat(node.get("/api/legal", null).json().at("/terms/version").asInt()).isEqualTo(version);

        Response refused = node.post("/api/auth/signup", null, map("username", "ts_noterms", "email", "ts_noterms@example.org",
                "password", "battery staple horse correct"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("termsVersion");
        Response signed = ok(node.post("/api/auth/signup", null, map("username", "ts_terms", "email", "ts_terms@example.org",
                "password", "battery staple horse correct", "termsVersion", version)), 201);
        String token = signed.json().at("/token").asText();
        Response mine = ok(node.get("/api/me/legal", token), 200);
        assertThat(mine.json().at("/accepted").toString()).contains("\"kind\":\"terms\"").contains("\"kind\":\"privacy\"");

        assertThat(node.send("PUT", "/api/me/birth-year", token, map("birthYear", 1850)).status()).isEqualTo(400);
        assertThat(ok(node.send("PUT", "/api/me/birth-year", token, map("birthYear", 1990)), 200).json().at("/adult").asBoolean()).isTrue();
        assertThat(node.send("PUT", "/api/me/birth-year", token, map("birthYear", 2020)).status()).as("confirmed once").isEqualTo(409);
    }
}
