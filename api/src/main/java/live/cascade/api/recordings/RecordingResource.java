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
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.api.storage.StorageException;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import live.cascade.db.RecordingRepository;
import live.cascade.hls.record.ClipCutter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recordings and clips: listing, publishing, deleting, takedown and cutting clips; playback (VOD playlist, media,
 * poster) is {@link RecordingPlayback}'s.
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
    private final Clock clock;
    private final Duration retentionUnpublished;
    private final Duration retentionPublished;
    private final ChannelLookup channels;
    private final RecordingStorage storage;
    // Clips are cut one at a time on a platform thread: FFmpeg's JNI calls would pin a request's virtual thread.
    private final ClipMaker clips;

    private final RecordingPlayback playback;
    private final RecordingEvents events;

    public RecordingResource(Database db, Authenticator auth, RecordingFiles files, PlaybackTokens tokens, TokenRefusals refusals,
                             Clock clock, Duration retentionUnpublished, Duration retentionPublished, ViewerAccess access, RecordingStorage storage,
                             RecordingEvents events) {
        this.events = events;
        this.db = db;
        this.storage = storage;
        this.auth = auth;
        this.files = files;
        RecordingParts parts = new RecordingParts(files);
        this.clips = new ClipMaker(files, parts, storage);
        this.clock = clock;
        this.retentionUnpublished = retentionUnpublished;
        this.retentionPublished = retentionPublished;
        this.channels = new ChannelLookup(db);
        this.playback = new RecordingPlayback(db, auth, files, parts, tokens, refusals, access, storage);
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
        playback.routes(cfg);
    }

    private RecordingAccess find(Context ctx, boolean playback) {
        return RecordingAccess.find(ctx, playback, auth, db);
    }

    private RecordingJson json(RecordingAccess a) {
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
        RecordingAccess a = find(ctx, false);
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
        RecordingAccess a = find(ctx, false);
        if (!a.privileged()) throw ApiException.forbidden("Only the channel's owner or an administrator can publish a recording.");
        if (a.recording().takenDown()) throw new ApiException(409, "Conflict", "Recording " + a.recording().id() + " was taken down and cannot be published.");
        Recording r = db.recordings().publish(a.recording().id(), clock.instant()).orElseThrow(() -> ApiException.notFound("The recording was deleted meanwhile."));
        ctx.json(json(r, true));
    }

    record TakedownRequest(String reason) {
    }

    private void takeDown(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        RecordingAccess a = find(ctx, false);
        String reason = null;
        if (ctx.body() != null && !ctx.body().isBlank()) reason = Json.body(ctx, TakedownRequest.class).reason();
        if (reason != null && reason.length() > 500) throw ApiException.invalidField("reason", "must be at most 500 characters");
        Recording r = db.recordings().takeDown(a.recording().id(), admin.id(), reason, clock.instant()).orElseThrow();
        LOG.info("recording {} of channel {} taken down by {}", r.id(), a.channel().slug(), admin.user().username());
        ctx.json(json(r, true));
    }

    private void restore(Context ctx) {
        auth.requireAdmin(ctx);
        RecordingAccess a = find(ctx, false);
        DmcaHold.requireNone(db, a.recording().id());
        ctx.json(json(db.recordings().restore(a.recording().id()).orElseThrow(), true));
    }

    private void clips(Context ctx) {
        RecordingAccess a = find(ctx, false);
        RecordingRepository.Visibility v = a.admin() ? RecordingRepository.Visibility.ALL
                : a.privileged() ? RecordingRepository.Visibility.OWNER : RecordingRepository.Visibility.PUBLISHED;
        int limit = Paging.limit(ctx);
        long after = Paging.afterId(ctx);
        ctx.json(page(db.recordings().listClips(a.recording().id(), v, limit + 1, after > 0 ? after : null), limit, a.privileged()));
    }

    /** Cuts a clip from the recording (on keyframes, without re-encoding); answers once it is written. */
    private void cut(Context ctx) {
        auth.require(ctx);
        RecordingAccess a = find(ctx, false);
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

    @Override
    public void close() {
        clips.close();
    }
}
