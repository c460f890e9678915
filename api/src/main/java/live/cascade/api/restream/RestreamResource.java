package live.cascade.api.restream;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.StreamKeyVault;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.RestreamTarget;
import live.cascade.hls.MediaTaps;
import live.cascade.hls.restream.RestreamDestination;
import live.cascade.hls.restream.RestreamStatus;

/**
 * {@code /api/channels/{channel}/restreams}: where the channel's broadcasts are also sent (Twitch, YouTube, any RTMP or
 * RTMPS server), up to {@link #MAX_PER_CHANNEL}. The owner lists, adds and removes them; the destination's key is
 * stored encrypted and never returned (only its last four characters, to tell keys apart). Changes apply from the
 * next broadcast. The taps read them through {@link #targets}.
 */
public final class RestreamResource {
    public static final int MAX_PER_CHANNEL = 5;
    private final Database db;
    private final Authenticator auth;
    private final StreamKeyVault vault;
    private final ChannelLookup lookup;
    private final MediaTaps taps;

    public RestreamResource(Database db, Authenticator auth, StreamKeyVault vault, MediaTaps taps) {
        this.db = db;
        this.auth = auth;
        this.vault = vault;
        this.lookup = new ChannelLookup(db);
        this.taps = taps;
    }

    record CreateRequest(String url, String key) {}

    /** @param status how it is doing in the channel's broadcast on this node, or null when not live here */
    record TargetJson(long id, String url, String keyHint, Instant createdAt, StatusJson status) {}

    record StatusJson(String state, String detail) {}

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/channels/{channel}/restreams", this::list);
        cfg.routes.post("/api/channels/{channel}/restreams", this::create);
        cfg.routes.delete("/api/channels/{channel}/restreams/{id}", this::delete);
    }

    /** What the taps read when a broadcast starts: each destination with its key, decrypted, appended to the URL. */
    public static live.cascade.hls.restream.RestreamTargets targets(Database db, StreamKeyVault vault) {
        return channelId -> db.restreamTargets().forChannel(channelId).stream()
                .map(t -> new RestreamDestination(t.id(), join(t.url(), vault.decrypt(t.keyEnc())), t.url())).toList();
    }

    /** RTMP's convention, which Twitch, YouTube and our own ingest follow: the key is the URL's last path segment. */
    static String join(String url, String key) {
        return url.endsWith("/") ? url + key : url + "/" + key;
    }

    private void list(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findOwned(ctx, me);
        ctx.header("Cache-Control", "no-store");
        List<RestreamStatus> live = taps.restreamStatus(c.slug());
        List<TargetJson> out = db.restreamTargets().forChannel(c.id()).stream().map(t -> json(t, live)).toList();
        ctx.json(Map.of("restreams", out, "max", MAX_PER_CHANNEL));
    }

    private TargetJson json(RestreamTarget t, List<RestreamStatus> live) {
        StatusJson status = live.stream().filter(s -> s.id() == t.id()).findFirst()
                .map(s -> new StatusJson(s.state().name().toLowerCase(java.util.Locale.ROOT), s.detail())).orElse(null);
        return new TargetJson(t.id(), t.url(), hint(vault.decrypt(t.keyEnc())), t.createdAt(), status);
    }

    /** Enough of a key to tell two apart, never enough to use: "…" and its last four characters. */
    static String hint(String key) {
        return key.length() <= 8 ? "…" : "…" + key.substring(key.length() - 4);
    }

    private void create(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findOwned(ctx, me);
        CreateRequest req = Json.body(ctx, CreateRequest.class);
        Validator v = new Validator();
        if (v.check(req.url() != null && !req.url().isBlank(), "url", "is required: the RTMP server, such as rtmp://live.twitch.tv/app")) {
            v.check(req.url().strip().length() <= 2000 && validUrl(req.url().strip()), "url",
                    "must be an rtmp:// or rtmps:// URL with a host (the server, without the stream key), at most 2000 characters");
        }
        if (v.check(req.key() != null && !req.key().isBlank(), "key", "is required: the stream key the destination gave you")) {
            v.check(req.key().strip().length() <= 500 && req.key().strip().chars().noneMatch(ch -> ch <= ' '), "key",
                    "must be at most 500 characters without spaces");
        }
        v.throwIfInvalid();
        if (db.restreamTargets().count(c.id()) >= MAX_PER_CHANNEL) {
            throw ApiException.conflict("url", "Channel '" + c.slug() + "' already restreams to " + MAX_PER_CHANNEL
                    + " destinations, the most allowed; remove one first.");
        }
        String url = req.url().strip();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        RestreamTarget t = db.restreamTargets().create(c.id(), url, vault.encrypt(req.key().strip()));
        ctx.status(201).json(json(t, List.of()));
    }

    private static boolean validUrl(String url) {
        try {
            URI u = URI.create(url);
            return ("rtmp".equals(u.getScheme()) || "rtmps".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawQuery() == null && u.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void delete(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findOwned(ctx, me);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Restream ids are numbers; GET /api/channels/" + c.slug() + "/restreams lists them.");
        }
        if (!db.restreamTargets().delete(c.id(), id)) {
            throw ApiException.notFound("Channel '" + c.slug() + "' has no restream " + id + " (GET /api/channels/" + c.slug() + "/restreams lists them).");
        }
        ctx.status(204);
    }
}
