package live.cascade.api.recordings;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.access.ViewerAccess;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.http.ApiException;
import live.cascade.api.playback.PlaybackToken;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenCheck;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.api.storage.ObjectStore;
import live.cascade.api.storage.StorageException;
import live.cascade.api.storage.StorageKeys;
import live.cascade.db.Database;
import live.cascade.db.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Playback of recordings and clips: an HLS VOD playlist over the MP4 by byte range, the file itself with Range
 * support, and the poster, each with CORS for players on other origins.
 *
 * <p>With object storage, a row whose media was uploaded ({@link Recording#stored()}) is answered with a 302 to a
 * short-lived presigned URL (the store serves the bytes and the Range requests), or streamed through the node with
 * {@code --s3-proxy true}; its VOD playlist comes from the bucket with the current token put in.
 */
final class RecordingPlayback {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingPlayback.class);

    private final Database db;
    private final Authenticator auth;
    private final RecordingFiles files;
    private final RecordingParts parts;
    private final PlaybackTokens tokens;
    private final TokenRefusals refusals;
    private final ViewerAccess access;
    private final RecordingStorage storage;
    /** Stored VOD playlists (with the token placeholder), by recording id: they never change once uploaded. */
    private final Map<Long, String> storedPlaylists = new ConcurrentHashMap<>();

    RecordingPlayback(Database db, Authenticator auth, RecordingFiles files, RecordingParts parts, PlaybackTokens tokens,
                      TokenRefusals refusals, ViewerAccess access, RecordingStorage storage) {
        this.db = db;
        this.auth = auth;
        this.files = files;
        this.parts = parts;
        this.tokens = tokens;
        this.refusals = refusals;
        this.access = access;
        this.storage = storage;
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/recordings/{id}/media", this::media);
        // The same file under a name with its extension: the VOD playlist points here, since FFmpeg 7.1+ (ffmpeg,
        // ffplay, and players built on libavformat) refuse HLS segment URIs without a media extension.
        cfg.routes.get("/api/recordings/{id}/media.mp4", this::vodSegment);
        cfg.routes.get("/api/recordings/{id}/playlist.m3u8", this::playlist);
        cfg.routes.get("/api/recordings/{id}/thumbnail.jpg", this::thumbnail);
        for (String p : List.of("/api/recordings/{id}/media", "/api/recordings/{id}/media.mp4", "/api/recordings/{id}/playlist.m3u8", "/api/recordings/{id}/thumbnail.jpg")) {
            cfg.routes.options(p, ctx -> cors(ctx).status(204));
        }
    }

    private RecordingAccess find(Context ctx) {
        return RecordingAccess.find(ctx, true, auth, db);
    }

    /**
     * A stored object: a 302 to a presigned URL good for {@code --s3-url-lifetime} (the store answers Range requests
     * itself), or, with {@code --s3-proxy}, the bytes streamed through the node with the Range passed on.
     */
    private void remote(Context ctx, RecordingAccess a, String key, String contentType) throws IOException {
        ObjectStore s = StoredRecordings.store(storage, a.recording());
        cors(ctx);
        if (!storage.config().proxy()) {
            URI url = s.presign(key, storage.config().urlLifetime(), contentType).orElseThrow();
            // Not cacheable: the URL it points to expires.
            ctx.header("Cache-Control", "no-store").header("Location", url.toString()).status(302);
            return;
        }
        try (ObjectStore.Ranged o = s.open(key, ctx.header("Range"))) {
            ctx.status(o.status()).header("Accept-Ranges", "bytes").header("Cache-Control", cacheControl(a)).contentType(contentType);
            if (o.contentRange() != null) ctx.header("Content-Range", o.contentRange());
            if (o.contentLength() >= 0) ctx.header("Content-Length", Long.toString(o.contentLength()));
            OutputStream out = ctx.outputStream();
            o.body().transferTo(out);
        } catch (StorageException e) {
            if (e.httpStatus() == 416) {
                throw new ApiException(416, "Range Not Satisfiable", "The range " + ctx.header("Range") + " lies past the end of the media.");
            }
            if (e.httpStatus() == 404) throw ApiException.notFound("The media of recording " + a.recording().id() + " is missing from object storage.");
            LOG.warn("recording {}: object {} not served: {}", a.recording().id(), key, e.getMessage());
            throw StoredRecordings.unavailable(e);
        }
    }

    private Context cors(Context ctx) {
        return ctx.header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Range")
                .header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
    }

    private String cacheControl(RecordingAccess a) {
        return a.recording().published() ? "public, max-age=300" : "private, max-age=60";
    }

    private void media(Context ctx) throws IOException {
        RecordingAccess a = find(ctx);
        requireViewer(ctx, a);
        serve(ctx, a);
    }

    /** A private channel's recordings play for its owner, an admin, or the holder of one of its viewer tokens (?token=). */
    private boolean requireViewer(Context ctx, RecordingAccess a) {
        if (!ViewerAccess.isPrivate(a.channel())) return false;
        if (a.privileged()) return true;
        if (access.opens(a.channel().id(), ctx.queryParam("token"))) return true;
        refusals.count(TokenRefusals.Why.PRIVATE);
        throw ApiException.forbidden(ViewerAccess.privateDetail(a.channel().slug(), "as ?token= on the recording's playlist or media URL"))
                .header("Cache-Control", "no-store");
    }

    private void serve(Context ctx, RecordingAccess a) throws IOException {
        Recording r = a.recording();
        if (r.stored()) {
            int n = RecordingParts.checked(r, RecordingParts.requested(ctx.queryParam("part")));
            remote(ctx, a, StorageKeys.part(r.storageKey(), n), RecordingStorage.contentType(r));
            return;
        }
        Path f = parts.file(a.recording(), RecordingParts.requested(ctx.queryParam("part")));
        cors(ctx).header("Cache-Control", cacheControl(a));
        ByteRanges.serve(ctx, f, Files.size(f), a.recording().container().equals("mp4") ? "video/mp4" : "video/webm");
    }

    /**
     * The VOD playlist's segment URL: the same file as {@code /media}, with the same access rules, and the playback
     * token the playlist gave. That token is the channel's shared one (the same for every viewer within an interval,
     * see {@link PlaybackTokens#shared}), so the URL is the same for everyone and caches keep one copy.
     */
    private void vodSegment(Context ctx) throws IOException {
        cors(ctx);
        RecordingAccess a = find(ctx);
        String playlist = " (/api/recordings/" + a.recording().id() + "/playlist.m3u8)";
        switch (tokens.check(ctx.queryParam("token"), a.channel().id())) {
            case TokenCheck.Valid v when ViewerAccess.isPrivate(a.channel()) && !a.privileged()
                    && v.token().entitlement() != PlaybackToken.Entitlement.PRIVATE -> {
                refusals.count(TokenRefusals.Why.PRIVATE);
                throw ApiException.forbidden(ViewerAccess.privateDetail(a.channel().slug(), "as ?token= on the recording's playlist URL"))
                        .header("Cache-Control", "no-store");
            }
            case TokenCheck.Valid v -> serve(ctx, a);
            case TokenCheck.Expired e -> {
                refusals.count(TokenRefusals.Why.EXPIRED);
                throw ApiException.forbidden("The playback token expired at " + e.token().expiresAt()
                        + ": load the VOD playlist again for a current one" + playlist + ".").header("Cache-Control", "no-store");
            }
            case TokenCheck.Refused r -> {
                refusals.count(r.reason());
                throw ApiException.forbidden(r.reason().detail() + playlist).header("Cache-Control", "no-store");
            }
        }
    }

    private void playlist(Context ctx) {
        RecordingAccess a = find(ctx);
        if (!a.recording().container().equals("mp4")) {
            throw ApiException.notFound("Recording " + a.recording().id() + " is WebM (VP8): play /media directly; HLS needs MP4.");
        }
        boolean privateChannel = requireViewer(ctx, a);
        String playlist;
        try {
            Recording r = a.recording();
            String token = tokens.shared(a.channel().id(), privateChannel ? PlaybackToken.Entitlement.PRIVATE : PlaybackToken.Entitlement.PUBLIC);
            playlist = r.stored() ? storedPlaylist(r).replace(RecordingStorage.TOKEN_PLACEHOLDER, token) : parts.playlist(r, token);
        } catch (IOException e) {
            throw new ApiException(500, "Internal Server Error", "Recording " + a.recording().id() + " cannot be indexed: " + e.getMessage());
        }
        cors(ctx).header("Cache-Control", cacheControl(a)).contentType("application/vnd.apple.mpegurl").result(playlist);
    }

    private String storedPlaylist(Recording r) {
        String cached = storedPlaylists.get(r.id());
        if (cached != null) return cached;
        try {
            String p = new String(StoredRecordings.store(storage, r).read(StorageKeys.playlist(r.storageKey())), StandardCharsets.UTF_8);
            if (storedPlaylists.size() > 1000) storedPlaylists.clear(); // bounded; each is re-read once after a clear
            storedPlaylists.put(r.id(), p);
            return p;
        } catch (StorageException e) {
            LOG.warn("recording {}: playlist not read from object storage: {}", r.id(), e.getMessage());
            throw StoredRecordings.unavailable(e);
        }
    }

    private void thumbnail(Context ctx) throws IOException {
        RecordingAccess a = find(ctx);
        if (a.recording().thumbnailKey() != null) {
            remote(ctx, a, a.recording().thumbnailKey(), "image/jpeg");
            return;
        }
        Path t = files.resolve(a.recording().thumbnailPath()).filter(Files::isRegularFile)
                .orElseThrow(() -> ApiException.notFound("Recording " + a.recording().id() + " has no poster."));
        cors(ctx).header("Cache-Control", cacheControl(a)).contentType("image/jpeg").result(Files.readAllBytes(t));
    }
}
