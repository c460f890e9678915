package live.cascade.api.recordings;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.safety.DmcaHold;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.api.access.ViewerAccess;
import live.cascade.api.playback.PlaybackToken;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenCheck;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.api.storage.ObjectStore;
import live.cascade.api.storage.StorageException;
import live.cascade.api.storage.StorageKeys;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import live.cascade.db.RecordingRepository;
import live.cascade.hls.record.ClipCutter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recordings and clips: listing, publishing, deleting, takedown, cutting clips, and playback (an HLS VOD playlist over
 * the MP4 by byte range, the file itself with Range support, the poster).
 *
 * <p>With object storage, a row whose media was uploaded ({@link Recording#stored()}) is answered with a 302 to a
 * short-lived presigned URL (the store serves the bytes and the Range requests), or streamed through the node with
 * {@code --s3-proxy true}; its VOD playlist comes from the bucket with the current token put in.
 *
 * <p>Who sees what: published recordings are public; drafts only their channel's owner and admins; a recording an
 * admin took down only admins (its owner still sees that it was taken down, and cannot play it).
 */
public final class RecordingResource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingResource.class);
    private static final double MAX_CLIP_SECONDS = 3600;

    private final Database db;
    private final Authenticator auth;
    private final RecordingFiles files;
    private final RecordingParts parts;
    private final PlaybackTokens tokens;
    private final TokenRefusals refusals;
    private final Clock clock;
    private final Duration retentionUnpublished;
    private final Duration retentionPublished;
    private final ChannelLookup channels;
    private final RecordingStorage storage;
    /** Stored VOD playlists (with the token placeholder), by recording id: they never change once uploaded. */
    private final Map<Long, String> storedPlaylists = new ConcurrentHashMap<>();
    // Clips are cut one at a time on a platform thread: FFmpeg's JNI calls would pin a request's virtual thread.
    private final ClipMaker clips;

    private final ViewerAccess access;
    private final RecordingEvents events;

    public RecordingResource(Database db, Authenticator auth, RecordingFiles files, PlaybackTokens tokens, TokenRefusals refusals,
                             Clock clock, Duration retentionUnpublished, Duration retentionPublished, ViewerAccess access, RecordingStorage storage,
                             RecordingEvents events) {
        this.events = events;
        this.access = access;
        this.db = db;
        this.storage = storage;
        this.tokens = tokens;
        this.refusals = refusals;
        this.auth = auth;
        this.files = files;
        this.parts = new RecordingParts(files);
        this.clips = new ClipMaker(files, parts, storage);
        this.clock = clock;
        this.retentionUnpublished = retentionUnpublished;
        this.retentionPublished = retentionPublished;
        this.channels = new ChannelLookup(db);
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/recordings", this::list);
        cfg.routes.get("/api/recordings/{id}", ctx -> ctx.json(json(find(ctx, false))));
        cfg.routes.delete("/api/recordings/{id}", this::delete);
        cfg.routes.post("/api/recordings/{id}/publish", this::publish);
        cfg.routes.post("/api/recordings/{id}/takedown", this::takeDown);
        cfg.routes.post("/api/recordings/{id}/restore", this::restore);
        cfg.routes.get("/api/recordings/{id}/clips", this::clips);
        cfg.routes.post("/api/recordings/{id}/clips", this::cut);
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

    /** A recording, its channel, and what the caller may do with it. */
    private record Access(Recording recording, Channel channel, boolean privileged, boolean admin) {
    }

    private Access find(Context ctx, boolean playback) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No recording '" + ctx.pathParam("id") + "'.");
        }
        Optional<Principal> me = auth.current(ctx);
        ApiException missing = ApiException.notFound("No recording " + id + ".");
        Recording r = db.recordings().findById(id).orElseThrow(() -> missing);
        Channel c = db.channels().findById(r.channelId()).orElseThrow(() -> missing);
        boolean admin = me.map(Principal::isAdmin).orElse(false);
        boolean owner = me.map(p -> p.id() == c.ownerId()).orElse(false);
        if (c.suspended() && !admin && !owner) throw missing;
        if (r.takenDown() && !admin) {
            if (!owner) throw missing;
            if (playback) throw ApiException.forbidden("Recording " + id + " was taken down by an administrator.");
        }
        if (!r.published() && !owner && !admin) throw missing;
        return new Access(r, c, owner || admin, admin);
    }

    private RecordingJson json(Access a) {
        return RecordingJson.of(a.recording(), a.privileged(), retentionUnpublished, retentionPublished);
    }

    private RecordingJson json(Recording r, boolean privileged) {
        return RecordingJson.of(r, privileged, retentionUnpublished, retentionPublished);
    }

    private void list(Context ctx) {
        String ref = ctx.queryParam("channel");
        if (ref == null || ref.isBlank()) throw ApiException.invalidField("channel", "is required: a channel id or slug");
        Optional<Principal> me = auth.current(ctx);
        Channel c = channels.find(ref, me);
        channels.requireReadable(c, me, ChannelLookup.viewerToken(ctx.queryParam("token"), ctx.header(ChannelLookup.VIEWER_TOKEN_HEADER)));
        boolean admin = me.map(Principal::isAdmin).orElse(false);
        boolean owner = me.map(p -> p.id() == c.ownerId()).orElse(false);
        RecordingRepository.Visibility v = admin ? RecordingRepository.Visibility.ALL
                : owner ? RecordingRepository.Visibility.OWNER : RecordingRepository.Visibility.PUBLISHED;
        int limit = Paging.limit(ctx);
        long after = Paging.afterId(ctx);
        List<Recording> items = db.recordings().listForChannel(c.id(), v, "true".equals(ctx.queryParam("clips")), limit + 1,
                after > 0 ? after : null);
        ctx.json(page(items, limit, owner || admin));
    }

    private Map<String, Object> page(List<Recording> items, int limit, boolean privileged) {
        boolean more = items.size() > limit;
        List<Recording> shown = more ? items.subList(0, limit) : items;
        Map<String, Object> body = new HashMap<>();
        body.put("items", shown.stream().map(r -> json(r, privileged)).toList());
        body.put("next", more ? Long.toString(shown.getLast().id()) : null);
        return body;
    }

    private void delete(Context ctx) {
        auth.require(ctx);
        Access a = find(ctx, false);
        if (!a.privileged()) throw ApiException.forbidden("Only the channel's owner or an administrator can delete a recording.");
        // Otherwise deleting would undo the takedown: the evidence stays until an administrator decides.
        if (a.recording().takenDown() && !a.admin()) {
            throw ApiException.forbidden("Recording " + a.recording().id() + " was taken down by an administrator; it is kept "
                    + "for the administrators and only they can delete it.");
        }
        Recording r = a.recording();
        if (r.stored() || r.thumbnailKey() != null) {
            // The objects first: a row must never be gone while its objects stay behind unreferenced.
            try {
                storage.deleteMedia(r);
            } catch (StorageException e) {
                LOG.warn("recording {}: objects not deleted: {}", r.id(), e.getMessage());
                throw StoredRecordings.unavailable(e);
            }
        }
        if (db.recordings().delete(r.id())) files.deleteDirectoryOf(r.mediaPath());
        ctx.status(204);
    }

    private void publish(Context ctx) {
        auth.require(ctx);
        Access a = find(ctx, false);
        if (!a.privileged()) throw ApiException.forbidden("Only the channel's owner or an administrator can publish a recording.");
        if (a.recording().takenDown()) throw new ApiException(409, "Conflict", "Recording " + a.recording().id() + " was taken down and cannot be published.");
        Recording r = db.recordings().publish(a.recording().id(), clock.instant()).orElseThrow(() -> ApiException.notFound("The recording was deleted meanwhile."));
        ctx.json(json(r, true));
    }

    record TakedownRequest(String reason) {
    }

    private void takeDown(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        Access a = find(ctx, false);
        String reason = null;
        if (ctx.body() != null && !ctx.body().isBlank()) reason = Json.body(ctx, TakedownRequest.class).reason();
        if (reason != null && reason.length() > 500) throw ApiException.invalidField("reason", "must be at most 500 characters");
        Recording r = db.recordings().takeDown(a.recording().id(), admin.id(), reason, clock.instant()).orElseThrow();
        LOG.info("recording {} of channel {} taken down by {}", r.id(), a.channel().slug(), admin.user().username());
        ctx.json(json(r, true));
    }

    private void restore(Context ctx) {
        auth.requireAdmin(ctx);
        Access a = find(ctx, false);
        DmcaHold.requireNone(db, a.recording().id());
        ctx.json(json(db.recordings().restore(a.recording().id()).orElseThrow(), true));
    }

    private void clips(Context ctx) {
        Access a = find(ctx, false);
        RecordingRepository.Visibility v = a.admin() ? RecordingRepository.Visibility.ALL
                : a.privileged() ? RecordingRepository.Visibility.OWNER : RecordingRepository.Visibility.PUBLISHED;
        int limit = Paging.limit(ctx);
        long after = Paging.afterId(ctx);
        ctx.json(page(db.recordings().listClips(a.recording().id(), v, limit + 1, after > 0 ? after : null), limit, a.privileged()));
    }

    /** Cuts a clip from the recording (on keyframes, without re-encoding); answers once it is written. */
    private void cut(Context ctx) {
        auth.require(ctx);
        Access a = find(ctx, false);
        if (!a.privileged()) throw ApiException.forbidden("Only the channel's owner or an administrator can cut clips.");
        Recording src = a.recording();
        if (src.takenDown()) throw new ApiException(409, "Conflict", "Recording " + src.id() + " was taken down.");
        ClipRequest req = Json.body(ctx, ClipRequest.class);
        double duration = src.durationMillis() / 1000.0;
        Validator v = new Validator();
        if (v.check(req.start() != null, "start", "is required (seconds from the recording's start)")) {
            v.check(req.start() >= 0 && req.start() < duration, "start", "must be from 0 to less than the recording's " + duration + " s");
        }
        if (v.check(req.end() != null, "end", "is required (seconds from the recording's start)") && req.start() != null) {
            v.check(req.end() > req.start(), "end", "must be after start");
            v.check(req.end() <= duration + 0.5, "end", "must be at most the recording's duration, " + duration + " s");
            v.check(req.end() - req.start() <= MAX_CLIP_SECONDS, "end", "a clip is at most " + (int) MAX_CLIP_SECONDS + " s long");
        }
        String title = req.title() == null ? "Clip of " + src.title() : req.title().strip();
        v.check(!title.isEmpty() && title.length() <= 140, "title", "must be 1-140 characters");
        v.throwIfInvalid();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        ClipMaker.Made made = clips.make(src, Math.round(req.start() * 1_000_000), Math.round(req.end() * 1_000_000), stamp);
        ClipCutter.Clip clip = made.clip();
        long partOffset = made.partOffset();
        String thumb = made.thumbnail();
        Recording created = db.recordings().create(new NewRecording(src.channelId(), src.streamSessionId(), src.id(), title,
                Recording.READY, null, src.container(), src.videoCodec(), src.audioCodec(), src.width(), src.height(),
                clip.durationMicros() / 1000, clip.bytes(), files.relative(clip.file()), thumb, (partOffset + clip.startMicros()) / 1000,
                src.startedAt().plusNanos((partOffset + clip.startMicros()) * 1000), 1));
        events.clipReady(created, a.channel().slug());
        ctx.header("Location", "/api/recordings/" + created.id());
        ctx.status(201).json(json(created, true));
    }

    /**
     * A stored object: a 302 to a presigned URL good for {@code --s3-url-lifetime} (the store answers Range requests
     * itself), or, with {@code --s3-proxy}, the bytes streamed through the node with the Range passed on.
     */
    private void remote(Context ctx, Access a, String key, String contentType) throws IOException {
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

    // ------------------------------------------------------------------ playback

    private Context cors(Context ctx) {
        return ctx.header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Range")
                .header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
    }

    private String cacheControl(Access a) {
        return a.recording().published() ? "public, max-age=300" : "private, max-age=60";
    }

    private void media(Context ctx) throws IOException {
        Access a = find(ctx, true);
        requireViewer(ctx, a);
        serve(ctx, a);
    }

    /** A private channel's recordings play for its owner, an admin, or the holder of one of its viewer tokens (?token=). */
    private boolean requireViewer(Context ctx, Access a) {
        if (!ViewerAccess.isPrivate(a.channel())) return false;
        if (a.privileged()) return true;
        if (access.opens(a.channel().id(), ctx.queryParam("token"))) return true;
        refusals.count(TokenRefusals.Why.PRIVATE);
        throw ApiException.forbidden(ViewerAccess.privateDetail(a.channel().slug(), "as ?token= on the recording's playlist or media URL"))
                .header("Cache-Control", "no-store");
    }

    private void serve(Context ctx, Access a) throws IOException {
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
        Access a = find(ctx, true);
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
        Access a = find(ctx, true);
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
        Access a = find(ctx, true);
        if (a.recording().thumbnailKey() != null) {
            remote(ctx, a, a.recording().thumbnailKey(), "image/jpeg");
            return;
        }
        Path t = files.resolve(a.recording().thumbnailPath()).filter(Files::isRegularFile)
                .orElseThrow(() -> ApiException.notFound("Recording " + a.recording().id() + " has no poster."));
        cors(ctx).header("Cache-Control", cacheControl(a)).contentType("image/jpeg").result(Files.readAllBytes(t));
    }

    @Override
    public void close() {
        clips.close();
    }
}
