package live.cascade.api.datarights;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.PasswordHashing;
import live.cascade.api.auth.Principal;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.FieldError;
import live.cascade.api.http.Json;
import live.cascade.api.recordings.RecordingFiles;
import live.cascade.db.Database;
import live.cascade.db.DataRightsRepository.DataExport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/me/export} (built in the background; 202 until ready, then the JSON archive) and
 * {@code DELETE /api/me} (erasure after the grace period; {@code POST /api/me/deletion/cancel} within it).
 */
public final class DataRightsModule implements AutoCloseable {
    /** A finished export is handed out again for this long; after it, asking again builds a new one. */
    static final Duration EXPORT_REUSE = Duration.ofHours(24);

    private final Database db;
    private final Authenticator auth;
    private final PasswordHashing hashing;
    private final Clock clock;
    private final Duration grace;
    private final DataExporter exporter;
    private final AccountEraser eraser;

    record DeleteRequest(String password) {
    }

    public DataRightsModule(Database db, Authenticator auth, PasswordHashing hashing, NodeCommands commands, Path dataDir,
                            Duration grace, Clock clock, Supplier<String> baseUrl) {
        this.db = db;
        this.auth = auth;
        this.hashing = hashing;
        this.clock = clock;
        this.grace = grace;
        Path exports = dataDir.resolve("exports");
        this.exporter = new DataExporter(db, exports, clock, baseUrl);
        this.eraser = new AccountEraser(db, new RecordingFiles(dataDir), exports, commands, clock);
        eraser.start();
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/me/export", this::export);
        cfg.routes.delete("/api/me", this::delete);
        cfg.routes.post("/api/me/deletion/cancel", this::cancel);
    }

    private void export(Context ctx) throws IOException {
        Principal me = auth.require(ctx);
        ctx.header("Cache-Control", "no-store");
        var latest = db.dataRights().latestExport(me.id());
        if (latest.isPresent() && latest.get().status().equals("building")) {
            building(ctx, latest.get());
            return;
        }
        if (latest.isPresent() && latest.get().status().equals("ready")
                && latest.get().readyAt().plus(EXPORT_REUSE).isAfter(clock.instant())) {
            Path file = exporter.file(latest.get());
            if (Files.isRegularFile(file)) {
                ctx.header("Content-Disposition", "attachment; filename=\"cascade-export-" + me.user().username() + ".json\"");
                ctx.contentType("application/json").result(Files.readAllBytes(file));
                return;
            }
        }
        exporter.start(me.id());
        building(ctx, db.dataRights().latestExport(me.id()).orElseThrow());
    }

    private static void building(Context ctx, DataExport e) {
        ctx.status(202).header("Retry-After", "2").json(Map.of("status", "building", "requestedAt", e.requestedAt(),
                "detail", "Your export is being built; ask again in a moment for the file."));
    }

    private void delete(Context ctx) {
        Principal me = auth.require(ctx);
        DeleteRequest req = ctx.body().isBlank() ? new DeleteRequest(null) : Json.body(ctx, DeleteRequest.class);
        if (req.password() == null || req.password().length() > 256 || !hashing.verify(req.password(), me.user().passwordHash())) {
            throw new ApiException(403, "Forbidden", "Confirm with your current password to delete your account.",
                    List.of(new FieldError("password", req.password() == null ? "is required" : "is wrong")));
        }
        if (grace.isZero()) {
            eraser.erase(me.id());
            auth.clearCookie(ctx);
            ctx.status(204);
            return;
        }
        Instant due = clock.instant().plus(grace);
        db.dataRights().scheduleDeletion(me.id(), due);
        db.sessions().deleteAllForUser(me.id());
        auth.clearCookie(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deletionDueAt", due);
        body.put("detail", "Your account will be erased at " + due + ". Log in and POST /api/me/deletion/cancel before then to keep it.");
        ctx.status(202).json(body);
    }

    private void cancel(Context ctx) {
        Principal me = auth.require(ctx);
        ctx.json(Map.of("cancelled", db.dataRights().cancelDeletion(me.id())));
    }

    @Override
    public void close() {
        eraser.close();
        exporter.close();
    }
}
