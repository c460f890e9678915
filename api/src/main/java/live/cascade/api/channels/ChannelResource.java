package live.cascade.api.channels;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.StreamKeyVault;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;
import live.cascade.db.Channel;
import live.cascade.db.ChannelQuery;
import live.cascade.api.access.Visibility;
import live.cascade.db.ChannelUpdate;
import live.cascade.db.Database;
import live.cascade.db.DuplicateException;
import live.cascade.db.InvalidCursorException;
import live.cascade.db.Page;
import live.cascade.db.StreamSession;
import live.cascade.db.User;
import live.cascade.signaling.session.BroadcastService;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Channels: create, list and search, read, edit, delete, stream keys, broadcast history, follows, suspension. */
public final class ChannelResource {
    // Slugs start with a letter so that a {channel} path segment of digits is always an id.
    static final Pattern SLUG = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{2,31}");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_-]{1,25}");
    private static final int MAX_TAGS = 10;

    private final Database db;
    private final Authenticator auth;
    private final StreamKeyVault vault;
    private final ChannelLookup lookup;
    private final BroadcastService broadcasts;
    private final NodeCommands commands;

    private final int channelsPerAccount;
    private final Refusals refusals;

    /**
     * @param channelsPerAccount channels a non-admin account may own; the count is read before the insert, so
     *                           parallel creates by one account may pass it by a few (a bound on abuse, not a quota)
     */
    private final java.util.OptionalInt rtmpPort;
    private final java.util.OptionalInt srtPort;
    private final java.util.function.LongFunction<Optional<String>> originElsewhere;

    public ChannelResource(Database db, Authenticator auth, StreamKeyVault vault, BroadcastService broadcasts,
                           NodeCommands commands, int channelsPerAccount, Refusals refusals) {
        this(db, auth, vault, broadcasts, commands, channelsPerAccount, refusals, java.util.OptionalInt.empty(), java.util.OptionalInt.empty());
    }

    /**
     * @param rtmpPort the node's RTMP ingest port (issue 23), empty when RTMP is off: the studio shows the RTMP server
     * @param srtPort the node's SRT ingest port, empty when SRT is off
     */
    public ChannelResource(Database db, Authenticator auth, StreamKeyVault vault, BroadcastService broadcasts,
                           NodeCommands commands, int channelsPerAccount, Refusals refusals, java.util.OptionalInt rtmpPort,
                           java.util.OptionalInt srtPort) {
        this(db, auth, vault, broadcasts, commands, channelsPerAccount, refusals, rtmpPort, srtPort, channelId -> Optional.empty());
    }

    /** @param originElsewhere the node id of a channel's origin when that is another node (the cluster's placement) */
    public ChannelResource(Database db, Authenticator auth, StreamKeyVault vault, BroadcastService broadcasts,
                           NodeCommands commands, int channelsPerAccount, Refusals refusals, java.util.OptionalInt rtmpPort,
                           java.util.OptionalInt srtPort, java.util.function.LongFunction<Optional<String>> originElsewhere) {
        this.originElsewhere = originElsewhere;
        this.rtmpPort = rtmpPort;
        this.srtPort = srtPort;
        this.commands = commands;
        this.channelsPerAccount = channelsPerAccount;
        this.refusals = refusals;
        this.db = db;
        this.auth = auth;
        this.vault = vault;
        this.broadcasts = broadcasts;
        this.lookup = new ChannelLookup(db);
    }

    record CreateRequest(String slug, String title, String category, List<String> tags) {
    }

    record PatchRequest(String title, String category, List<String> tags, String visibility, Boolean mature) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/channels", this::create);
        cfg.routes.get("/api/channels", this::list);
        cfg.routes.get("/api/channels/{channel}", this::get);
        cfg.routes.patch("/api/channels/{channel}", this::patch);
        cfg.routes.delete("/api/channels/{channel}", this::delete);
        cfg.routes.get("/api/channels/{channel}/stream-key", this::streamKey);
        cfg.routes.post("/api/channels/{channel}/stream-key/rotate", this::rotate);
        cfg.routes.get("/api/channels/{channel}/sessions", this::sessions);
        cfg.routes.post("/api/channels/{channel}/follow", ctx -> follow(ctx, true));
        cfg.routes.delete("/api/channels/{channel}/follow", ctx -> follow(ctx, false));
        cfg.routes.post("/api/channels/{channel}/stream/stop", this::stopStream);
        cfg.routes.post("/api/channels/{channel}/suspend", ctx -> suspend(ctx, true));
        cfg.routes.post("/api/channels/{channel}/restore", ctx -> suspend(ctx, false));
    }

    private void create(Context ctx) {
        Principal me = auth.require(ctx);
        CreateRequest req = Json.body(ctx, CreateRequest.class);
        Validator v = new Validator();
        if (v.check(req.slug() != null, "slug", "is required"))
            v.check(SLUG.matcher(req.slug()).matches(), "slug", "must be 3-32 letters, digits, '-' or '_', starting with a letter");
        String title = checkTitle(v, req.title(), true);
        String category = checkCategory(v, req.category(), true);
        List<String> tags = checkTags(v, req.tags());
        v.throwIfInvalid();
        if (!me.isAdmin() && db.channels().countByOwner(me.id()) >= channelsPerAccount) {
            refusals.count(RefusalReason.CHANNELS_PER_ACCOUNT);
            // Retry-After would promise something: only deleting a channel frees a place.
            throw new ApiException(429, "Too Many Requests", "Your account already owns " + channelsPerAccount
                    + " channels, the most one account may have on this site; delete one you no longer use to create another.");
        }
        StreamKeyVault.Issued key = vault.issue();
        Channel c;
        try {
            c = db.channels().create(me.id(), req.slug(), title, category, tags, key.hash(), key.encrypted());
        } catch (DuplicateException e) {
            throw ApiException.conflict("slug", "The slug '" + req.slug() + "' is already taken.");
        }
        ctx.header("Location", "/api/channels/" + c.slug());
        ctx.status(201).json(ChannelJson.of(c).withStreamKey(key.streamKey()));
    }

    private void list(Context ctx) {
        Optional<Principal> me = auth.current(ctx);
        int limit = Paging.limit(ctx);
        ChannelQuery q = ChannelQuery.firstPage(limit)
                .withCategory(ctx.queryParam("category"))
                .withQ(ctx.queryParam("q"))
                .withCursor(emptyToNull(ctx.queryParam("cursor")));
        String owner = ctx.queryParam("owner");
        if (owner != null && !owner.isEmpty()) {
            long ownerId = resolveUser(owner);
            q = q.withOwner(ownerId);
            // Owners see their own suspended channels in their list; admins see all.
            if (me.map(p -> p.id() == ownerId || p.isAdmin()).orElse(false)) q = q.withIncludeSuspended(true);
        } else if (me.map(Principal::isAdmin).orElse(false) && "true".equals(ctx.queryParam("includeSuspended"))) {
            q = q.withIncludeSuspended(true);
        }
        String live = ctx.queryParam("live");
        if (live != null && !live.isEmpty()) {
            if (!live.equals("true") && !live.equals("false")) throw ApiException.invalidField("live", "must be true or false");
            q = q.withLive(Boolean.parseBoolean(live));
        }
        String followed = ctx.queryParam("followed");
        if ("true".equals(followed)) q = q.withFollowedBy(auth.require(ctx).id());
        Page<Channel> page;
        try {
            page = db.channels().list(q);
        } catch (InvalidCursorException e) {
            throw ApiException.invalidField("cursor", "is not a cursor this server issued; start again without it");
        }
        Map<String, Object> body = new HashMap<>();
        body.put("items", page.items().stream().map(ChannelJson::of).toList());
        body.put("next", page.next());
        ctx.json(body);
    }

    private long resolveUser(String owner) {
        if (owner.chars().allMatch(Character::isDigit) && owner.length() < 19) return Long.parseLong(owner);
        return db.users().findByLogin(owner).filter(u -> u.username().equalsIgnoreCase(owner)).map(User::id)
                .orElseThrow(() -> ApiException.invalidField("owner", "names no user (give a user id or username)"));
    }

    private void get(Context ctx) {
        ctx.json(ChannelJson.of(lookup.find(ctx, auth.current(ctx))));
    }

    private void patch(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        PatchRequest req = Json.body(ctx, PatchRequest.class);
        Validator v = new Validator();
        String title = checkTitle(v, req.title(), false);
        String category = checkCategory(v, req.category(), false);
        List<String> tags = req.tags() == null ? null : checkTags(v, req.tags());
        Optional<Visibility> visibility = Visibility.parse(req.visibility());
        if (req.visibility() != null) v.check(visibility.isPresent(), "visibility", "must be public, unlisted or private");
        v.throwIfInvalid();
        visibility.ifPresent(vis -> db.channels().setVisibility(c.id(), vis.dbValue()));
        if (req.mature() != null) db.channels().setMature(c.id(), req.mature());
        Channel updated = db.channels().update(c.id(), new ChannelUpdate(title, category, tags))
                .orElseThrow(() -> ApiException.notFound("Channel '" + c.slug() + "' was deleted meanwhile."));
        ctx.json(ChannelJson.of(updated));
    }

    private void delete(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        // Deleting the channel deletes its recordings, which would undo an administrator's takedown.
        if (!me.isAdmin() && db.recordings().anyTakenDown(c.id())) {
            throw ApiException.forbidden("Channel '" + c.slug() + "' has recordings an administrator took down; they are kept "
                    + "for the administrators, so only an administrator can delete this channel.");
        }
        db.channels().delete(c.id());
        commands.send(new NodeCommand.EndBroadcast(c.id(), NodeCommand.BroadcastEnd.CHANNEL_DELETED));
        ctx.status(204);
    }

    private void streamKey(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findOwned(ctx, me);
        ctx.header("Cache-Control", "no-store");
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("streamKey", vault.decrypt(c.streamKeyEnc()));
        body.put("whipUrl", "/api/whip");
        // RTMP: OBS's "Server" is rtmp://<this host>:<port>/live and its "Stream Key" the stream key; null when off.
        body.put("rtmpPort", rtmpPort.isPresent() ? rtmpPort.getAsInt() : null);
        body.put("rtmpApp", "live");
        // SRT: OBS's "Server" is srt://<this host>:<port>?streamid=<stream key>; null when off.
        body.put("srtPort", srtPort.isPresent() ? srtPort.getAsInt() : null);
        ctx.json(body);
    }

    private void rotate(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findOwned(ctx, me);
        StreamKeyVault.Issued key = vault.issue();
        db.channels().rotateStreamKey(c.id(), key.hash(), key.encrypted());
        // A new key is usually the answer to a leaked one: whoever is on the air with the old key goes off it, on
        // whichever node holds the publisher.
        commands.send(new NodeCommand.EndBroadcast(c.id(), NodeCommand.BroadcastEnd.KEY_ROTATED));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("streamKey", key.streamKey()));
    }

    private void sessions(Context ctx) {
        Channel c = lookup.find(ctx, auth.current(ctx));
        int limit = Paging.limit(ctx);
        Instant before = null;
        String raw = ctx.queryParam("before");
        if (raw != null && !raw.isEmpty()) {
            try {
                before = Instant.parse(raw);
            } catch (DateTimeParseException e) {
                throw ApiException.invalidField("before", "must be an ISO-8601 instant such as 2026-01-31T20:00:00Z (the \"next\" value of the previous page)");
            }
        }
        List<StreamSession> items = db.streamSessions().listForChannel(c.id(), limit + 1, before);
        boolean more = items.size() > limit;
        List<StreamSession> pageItems = more ? items.subList(0, limit) : items;
        Map<String, Object> body = new HashMap<>();
        body.put("items", pageItems.stream().map(s -> {
            Map<String, Object> m = new HashMap<>();
            m.put("id", s.id());
            m.put("startedAt", s.startedAt());
            m.put("endedAt", s.endedAt());
            m.put("peakViewers", s.peakViewers());
            m.put("live", s.live());
            return m;
        }).toList());
        body.put("next", more ? pageItems.getLast().startedAt().toString() : null);
        ctx.json(body);
    }

    private void follow(Context ctx, boolean follow) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        if (follow) db.follows().follow(me.id(), c.id());
        else db.follows().unfollow(me.id(), c.id());
        ctx.json(Map.of("following", follow, "followerCount", db.follows().countFollowers(c.id())));
    }

    /** The owner or an admin ends the broadcast now: the publisher is disconnected and viewers' sessions close. */
    private void stopStream(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.findManaged(ctx, me);
        if (originElsewhere.apply(c.id()).isPresent()) {
            // Its origin is another node (this one may relay it): the command reaches the origin, which ends it, and
            // every node relaying it, whose copies end with it.
            commands.send(new NodeCommand.EndBroadcast(c.id(), NodeCommand.BroadcastEnd.STOPPED));
            ctx.status(202);
            return;
        }
        if (!broadcasts.stop(c.id())) {
            throw new ApiException(409, "Conflict", "Channel '" + c.slug() + "' is not live on any node.");
        }
        ctx.status(204);
    }

    private void suspend(Context ctx, boolean suspended) {
        Principal admin = auth.requireAdmin(ctx);
        Channel c = lookup.find(ctx, Optional.of(admin));
        db.channels().setSuspended(c.id(), suspended);
        // A suspended channel goes off the air and its chat closes at once, on every node.
        if (suspended) commands.send(new NodeCommand.SuspendChannel(c.id()));
        ctx.json(ChannelJson.of(db.channels().findById(c.id()).orElseThrow()));
    }

    private static String checkTitle(Validator v, String title, boolean required) {
        if (title == null) {
            if (required) v.error("title", "is required");
            return null;
        }
        String t = title.strip();
        v.check(!t.isEmpty() && t.length() <= 140, "title", "must be 1-140 characters");
        return t;
    }

    private static String checkCategory(Validator v, String category, boolean required) {
        if (category == null) {
            if (required) v.error("category", "is required");
            return null;
        }
        String c = category.strip();
        v.check(!c.isEmpty() && c.length() <= 64, "category", "must be 1-64 characters");
        return c;
    }

    private static List<String> checkTags(Validator v, List<String> tags) {
        if (tags == null) return List.of();
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || !TAG.matcher(t.strip()).matches()) {
                v.error("tags[" + i + "]", "must be 1-25 letters, digits, '-' or '_'");
            } else {
                out.add(t.strip().toLowerCase(Locale.ROOT));
            }
        }
        v.check(out.size() <= MAX_TAGS, "tags", "at most " + MAX_TAGS + " tags");
        return new ArrayList<>(out);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
