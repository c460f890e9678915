package live.cascade.api.datarights;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/me/export and DELETE /api/me, with erasure checked against every table and column of the live schema. */
class DataRightsTest {
    static final String DB = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    static TestNode node;
    static Account host;

    @BeforeAll
    static void start() {
        node = new TestNode("--db-url", DB, "--account-deletion-grace", "0s");
        host = node.signup("dr_host");
        assertThat(node.post("/api/channels", host.token(), map("slug", "dr_host_ch", "title", "host", "category", "Talk")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A user who leaves traces everywhere an ordinary user can: own channel, chat, follow, profile, report, ban. */
    static Account busyUser(String name) {
        Account u = node.signup(name);
        assertThat(node.post("/api/channels", u.token(), map("slug", name + "_ch", "title", "mine", "category", "Talk")).status()).isEqualTo(201);
        assertThat(node.post("/api/channels/" + name + "_ch/chat", u.token(), map("text", "hello from my own channel")).status()).isIn(200, 201);
        Response msg = node.post("/api/channels/dr_host_ch/chat", u.token(), map("text", "a message that stays as history"));
        assertThat(msg.status()).as(msg.body()).isIn(200, 201);
        assertThat(node.post("/api/channels/dr_host_ch/follow", u.token(), null).status()).isIn(200, 201);
        assertThat(node.send("PUT", "/api/profiles/" + u.id(), u.token(), map("bio", "I like trains")).status()).isIn(200, 201);
        Response report = node.post("/api/channels/dr_host_ch/reports", u.token(), map("userId", host.id(), "reason", "spam"));
        assertThat(report.status()).as(report.body()).isEqualTo(201);
        Response ban = node.post("/api/channels/dr_host_ch/bans", host.token(), map("userId", u.id(), "durationSeconds", 60, "reason", "flooding"));
        assertThat(ban.status()).as(ban.body()).isEqualTo(201);
        return u;
    }

    static JsonNode export(Account u) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Response r = node.get("/api/me/export", u.token());
        while (r.status() == 202 && System.nanoTime() < deadline) {
            assertThat(r.header("Retry-After")).isNotNull();
            Thread.sleep(50);
            r = node.get("/api/me/export", u.token());
        }
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Disposition")).startsWith("attachment");
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void theExportHoldsWhatItListsAndNoSecrets() throws Exception {
        Account u = busyUser("dr_exporter");
        Response first = node.get("/api/me/export", u.token());
        assertThat(first.status()).as("built in the background").isEqualTo(202);
        JsonNode doc = export(u);
        assertThat(doc.at("/account/0/username").asText()).isEqualTo("dr_exporter");
        assertThat(doc.at("/account/0/email").asText()).isEqualTo("dr_exporter@example.org");
        assertThat(doc.at("/profile/0/bio").asText()).isEqualTo("I like trains");
        assertThat(doc.at("/channels/0/slug").asText()).isEqualTo("dr_exporter_ch");
        assertThat(doc.at("/follows")).hasSize(1);
        assertThat(texts(doc.at("/chatMessages"), "body")).containsExactlyInAnyOrder("hello from my own channel", "a message that stays as history");
        assertThat(texts(doc.at("/moderationActionsAboutYou"), "action")).contains("user_timed_out");
        assertThat(texts(doc.at("/reportsYouMade"), "reason")).containsExactly("spam");
        assertThat(doc.at("/sessions")).isNotEmpty();
        assertThat(doc.at("/recordings").isArray()).isTrue();
        String text = doc.toString();
        assertThat(text).doesNotContain("password_hash", "token_hash", "stream_key", u.token());
        assertThat(node.get("/api/me/export", null).status()).isEqualTo(401);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void aDeletedAccountsPersonalDataIsGoneFromEveryTableOfTheLiveSchema() throws Exception {
        Account u = busyUser("dr_erasezed");
        export(u); // leaves an export row and file behind, which must go too
        Path exports = node.dataDir.resolve("exports").resolve(Long.toString(u.id()));
        assertThat(exports).isDirectory();
        long hostMessages = node.get("/api/channels/dr_host_ch/chat", null).json().at("/items").size();

        Response wrong = node.send("DELETE", "/api/me", u.token(), map("password", "not it"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().at("/errors/0/field").asText()).isEqualTo("password");
        assertThat(node.send("DELETE", "/api/me", u.token(), map("password", u.password())).status()).isEqualTo(204);

        assertThat(node.get("/api/auth/session", u.token()).status()).isEqualTo(401);
        assertThat(node.post("/api/auth/login", null, map("login", "dr_erasezed", "password", u.password())).status()).isEqualTo(401);
        assertThat(exports).doesNotExist();
        // The host's channel keeps its history, now from the placeholder.
        JsonNode history = node.get("/api/channels/dr_host_ch/chat", null).json().at("/items");
        assertThat(history.size()).isEqualTo(hostMessages);
        assertThat(history.toString()).contains("[deleted]").doesNotContain("dr_erasezed");

        List<String> leaks = new ArrayList<>();
        int tables = 0;
        try (Connection c = DriverManager.getConnection(DB, "sa", "")) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> names = new ArrayList<>();
            try (ResultSet t = meta.getTables(null, "public", "%", new String[]{"TABLE", "BASE TABLE"})) {
                while (t.next()) names.add(t.getString("TABLE_NAME"));
            }
            for (String table : names) {
                if (table.startsWith("flyway_")) continue;
                tables++;
                Set<String> userRefs = new java.util.HashSet<>();
                try (ResultSet fk = meta.getImportedKeys(null, "public", table)) {
                    while (fk.next()) if (fk.getString("PKTABLE_NAME").equals("users")) userRefs.add(fk.getString("FKCOLUMN_NAME"));
                }
                try (ResultSet col = meta.getColumns(null, "public", table, "%")) {
                    while (col.next()) {
                        String column = col.getString("COLUMN_NAME");
                        int type = col.getInt("DATA_TYPE");
                        boolean text = type == Types.VARCHAR || type == Types.CHAR || type == Types.CLOB || type == Types.LONGVARCHAR
                                || type == Types.NVARCHAR;
                        if (text) {
                            long n = count(c, "SELECT COUNT(*) FROM \"" + table + "\" WHERE LOWER(\"" + column + "\") LIKE '%dr_erasezed%'");
                            if (n > 0) leaks.add(table + "." + column + " still holds the username or address (" + n + " rows)");
                        }
                        boolean idOfUser = userRefs.contains(column) || (table.equals("users") && column.equals("id"));
                        if (idOfUser) {
                            long n = count(c, "SELECT COUNT(*) FROM \"" + table + "\" WHERE \"" + column + "\" = " + u.id());
                            if (n > 0) leaks.add(table + "." + column + " still references account " + u.id() + " (" + n + " rows)");
                        }
                    }
                }
            }
        }
        assertThat(tables).as("the schema was read").isGreaterThan(20);
        assertThat(leaks).isEmpty();
    }

    static long count(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void deletionWaitsForTheGracePeriodAndCanBeCancelled() {
        try (TestNode graceful = new TestNode()) {
            Account u = graceful.signup("dr_grace");
            Response r = graceful.send("DELETE", "/api/me", u.token(), map("password", u.password()));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().at("/deletionDueAt").asText()).isNotEmpty();
            assertThat(graceful.get("/api/auth/session", u.token()).status()).as("logged out").isEqualTo(401);
            Response login = graceful.post("/api/auth/login", null, map("login", "dr_grace", "password", u.password()));
            assertThat(login.status()).isEqualTo(200);
            String token = login.json().at("/token").asText();
            assertThat(graceful.post("/api/me/deletion/cancel", token, null).json().at("/cancelled").asBoolean()).isTrue();
            assertThat(graceful.server.database().dataRights().deletionDue(u.id())).isEmpty();
        }
    }
}
