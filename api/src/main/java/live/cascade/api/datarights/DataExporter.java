package live.cascade.api.datarights;

import live.cascade.api.http.Json;
import live.cascade.db.Database;
import live.cascade.db.DataRightsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Builds a user's export in the background: one JSON document of everything the node keeps about them (secrets such
 * as password and token hashes left out), their recordings as links. Written to {@code <data-dir>/exports/<user>/}.
 */
final class DataExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataExporter.class);

    /** What the archive holds: its key, the table, and the column that names the user. */
    record Section(String key, String table, String column) {
    }

    static final List<Section> SECTIONS = List.of(
            new Section("account", "users", "id"),
            new Section("profile", "profiles", "user_id"),
            new Section("donationAddresses", "donation_addresses", "user_id"),
            new Section("topFriends", "profile_top_friends", "user_id"),
            new Section("channels", "channels", "owner_id"),
            new Section("follows", "follows", "user_id"),
            new Section("chatMessages", "chat_messages", "user_id"),
            new Section("moderationActionsAboutYou", "moderation_actions", "target_user_id"),
            new Section("moderationActionsByYou", "moderation_actions", "actor_id"),
            new Section("channelBans", "channel_bans", "user_id"),
            new Section("moderatorOf", "channel_moderators", "user_id"),
            new Section("reportsYouMade", "chat_reports", "reporter_id"),
            new Section("reportsAboutYou", "chat_reports", "target_user_id"),
            new Section("sessions", "login_sessions", "user_id"),
            // Trust and safety (issue 26). Site reports about the account are left out: they would name their reporters.
            new Section("siteReportsYouMade", "platform_reports", "reporter_id"),
            new Section("actionsTakenOnYou", "enforcements", "user_id"),
            new Section("appeals", "appeals", "user_id"),
            new Section("dmcaNoticesOnYourRecordings", "dmca_notices", "uploader_id"),
            new Section("legalAcceptances", "legal_acceptances", "user_id"));

    private final Database db;
    private final Path root;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("data-export").factory());

    DataExporter(Database db, Path root, Clock clock, Supplier<String> baseUrl) {
        this.db = db;
        this.root = root;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    void start(long userId) {
        long exportId = db.dataRights().startExport(userId);
        worker.execute(() -> {
            try {
                Path file = build(userId, exportId);
                db.dataRights().exportReady(exportId, root.relativize(file).toString());
            } catch (IOException | RuntimeException e) {
                LOG.warn("export {} of account {} failed: {}", exportId, userId, e.toString());
                db.dataRights().exportFailed(exportId, e.toString());
            }
        });
    }

    private Path build(long userId, long exportId) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exportedAt", clock.instant());
        doc.put("format", "cascade-live-export/1");
        for (Section s : SECTIONS) doc.put(s.key(), db.dataRights().rows(s.table(), s.column(), userId));
        List<Map<String, Object>> recordings = new java.util.ArrayList<>();
        for (Map<String, Object> ch : db.dataRights().rows("channels", "owner_id", userId)) {
            long channelId = ((Number) ch.get("id")).longValue();
            for (Map<String, Object> r : db.dataRights().rows("recordings", "channel_id", channelId)) {
                Map<String, Object> link = new LinkedHashMap<>();
                link.put("id", r.get("id"));
                link.put("channel", ch.get("slug"));
                link.put("title", r.get("title"));
                link.put("startedAt", r.get("started_at"));
                link.put("url", baseUrl.get() + "/api/recordings/" + r.get("id") + "/media");
                recordings.add(link);
            }
        }
        doc.put("recordings", recordings);
        Path dir = root.resolve(Long.toString(userId));
        Files.createDirectories(dir);
        Path tmp = dir.resolve("export-" + exportId + ".json.tmp");
        Path file = dir.resolve("export-" + exportId + ".json");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    Path file(DataRightsRepository.DataExport e) {
        return root.resolve(e.filePath());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
