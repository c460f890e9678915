package live.cascade.api.moderation;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Ban;
import live.cascade.db.Channel;
import live.cascade.db.ChatMessage;
import live.cascade.db.ChatSettings;
import live.cascade.db.ChatSettingsRepository;
import live.cascade.db.Database;
import live.cascade.db.ModerationAction;
import live.cascade.db.Report;
import live.cascade.db.User;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Moderating a channel's chat: chat settings, message deletion, moderators, bans and timeouts, the moderation log and
 * viewers' reports (docs/chat.md). Every change is logged by the repository in the transaction that makes it, and
 * announced to the chat through {@link ModerationEvents}.
 */
public final class ModerationResource {
    /** The longest timeout; anything longer is a ban. */
    static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;
    static final int MAX_REASON = 500;
    static final int REPORTS_PER_WINDOW = 10;
    static final Duration REPORT_WINDOW = Duration.ofMinutes(10);

    private final Database db;
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final ChannelRights rights;
    private final ModerationEvents events;
    private final RateLimiter limiter;
    private final NodeCommands commands;
    private final Clock clock;

    record SettingsRequest(Integer slowModeSeconds, Boolean followersOnly, Boolean blockLinks, Integer maxMessageLength,
                           List<String> blockedWords, List<String> blockedPatterns) {
    }

    record BanRequest(Long userId, Long durationSeconds, String reason) {
    }

    record ReportRequest(Long messageId, Long userId, String reason) {
    }

    record ResolveRequest(String resolution) {
    }

    public ModerationResource(Database db, Authenticator auth, ChannelRights rights, ModerationEvents events,
                              RateLimiter limiter, NodeCommands commands, Clock clock) {
        this.commands = commands;
        this.db = db;
        this.auth = auth;
        this.lookup = new ChannelLookup(db);
        this.rights = rights;
        this.events = events;
        this.limiter = limiter;
        this.clock = clock;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/channels/{channel}/chat/settings", this::getSettings);
        cfg.routes.put("/api/channels/{channel}/chat/settings", this::putSettings);
        cfg.routes.delete("/api/channels/{channel}/chat/{messageId}", this::deleteMessage);
        cfg.routes.get("/api/channels/{channel}/moderators", this::listModerators);
        cfg.routes.put("/api/channels/{channel}/moderators/{userId}", this::appoint);
        cfg.routes.delete("/api/channels/{channel}/moderators/{userId}", this::dismiss);
        cfg.routes.get("/api/channels/{channel}/bans", this::listBans);
        cfg.routes.post("/api/channels/{channel}/bans", this::ban);
        cfg.routes.delete("/api/channels/{channel}/bans/{userId}", this::unban);
        cfg.routes.get("/api/channels/{channel}/moderation/log", this::log);
        cfg.routes.get("/api/channels/{channel}/reports", this::listReports);
        cfg.routes.post("/api/channels/{channel}/reports", this::report);
        cfg.routes.post("/api/channels/{channel}/reports/{reportId}/resolve", this::resolve);
    }

    // ---- settings

    private void getSettings(Context ctx) {
        Optional<Principal> me = auth.current(ctx);
        Channel c = lookup.find(ctx, me);
        ChatSettings s = db.chatSettings().get(c.id());
        ctx.json(rights.canModerate(c, me.orElse(null)) ? ModerationJson.SettingsJson.of(s) : ModerationJson.PublicSettingsJson.of(s));
    }

    private void putSettings(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        SettingsRequest req = Json.body(ctx, SettingsRequest.class);
        ChatSettings cur = db.chatSettings().get(c.id());
        Validator v = new Validator();
        int slow = req.slowModeSeconds() == null ? cur.slowModeSeconds() : req.slowModeSeconds();
        v.check(slow >= 0 && slow <= ChatSettings.MAX_SLOW_MODE_SECONDS, "slowModeSeconds",
                "must be 0 (off) to " + ChatSettings.MAX_SLOW_MODE_SECONDS);
        int max = req.maxMessageLength() == null ? cur.maxMessageLength() : req.maxMessageLength();
        v.check(max >= 1 && max <= ChatSettings.MAX_MESSAGE_LENGTH, "maxMessageLength", "must be 1 to " + ChatSettings.MAX_MESSAGE_LENGTH);
        List<String> words = req.blockedWords() == null ? cur.blockedWords()
                : terms(v, "blockedWords", req.blockedWords(), ChatSettingsRepository.MAX_WORDS, t -> {
                    if (TextNormalizer.skeleton(t).isEmpty()) return "has no letters or digits to match";
                    return null;
                });
        List<String> patterns = req.blockedPatterns() == null ? cur.blockedPatterns()
                : terms(v, "blockedPatterns", req.blockedPatterns(), ChatSettingsRepository.MAX_PATTERNS, t -> {
                    try {
                        MessageFilter.compilePattern(t);
                        return null;
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                });
        v.throwIfInvalid();
        ChatSettings next = new ChatSettings(slow, req.followersOnly() == null ? cur.followersOnly() : req.followersOnly(),
                req.blockLinks() == null ? cur.blockLinks() : req.blockLinks(), max, words, patterns);
        ChatSettings saved = db.chatSettings().put(c.id(), next, me.id());
        events.settingsChanged(c.id(), saved);
        ctx.json(ModerationJson.SettingsJson.of(saved));
    }

    /** Trimmed, without exact duplicates; each term 1-200 characters and accepted by {@code check}. */
    private static List<String> terms(Validator v, String field, List<String> given, int maxCount, Function<String, String> check) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i) == null ? "" : given.get(i).strip();
            if (t.isEmpty() || t.length() > ChatSettings.MAX_TERM_LENGTH) {
                v.error(field + "[" + i + "]", "must be 1 to " + ChatSettings.MAX_TERM_LENGTH + " characters");
                continue;
            }
            String problem = check.apply(t);
            if (problem != null) v.error(field + "[" + i + "]", problem);
            else out.add(t);
        }
        v.check(out.size() <= maxCount, field, "at most " + maxCount + " entries");
        return new ArrayList<>(out);
    }

    // ---- messages

    private void deleteMessage(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        long id = pathId(ctx, "messageId", "a message id");
        String reason = reason(ctx.queryParam("reason"), "reason");
        Optional<ChatMessage> deleted = db.chatMessages().delete(c.id(), id, me.id(), reason);
        if (deleted.isEmpty()) throw ApiException.notFound("Channel '" + c.slug() + "' has no message " + id + " (or it is already deleted).");
        events.messageDeleted(c.id(), id);
        ctx.status(204);
    }

    // ---- moderators

    private void listModerators(Context ctx) {
        Channel c = lookup.find(ctx, auth.current(ctx));
        ctx.json(Map.of("items", db.moderators().list(c.id()).stream().map(ModerationJson.ModeratorJson::of).toList()));
    }

    private void appoint(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        rights.requireOwnerOrAdmin(c, me);
        User target = pathUser(ctx);
        if (target.id() == c.ownerId()) throw ApiException.badRequest("The owner already moderates their own channel.");
        boolean added = db.moderators().add(c.id(), target.id(), me.id());
        ModerationJson.ModeratorJson body = db.moderators().list(c.id()).stream().filter(m -> m.userId() == target.id())
                .findFirst().map(ModerationJson.ModeratorJson::of)
                .orElseThrow(() -> ApiException.notFound("User " + target.id() + " was removed meanwhile."));
        ctx.status(added ? 201 : 200).json(body);
    }

    private void dismiss(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        rights.requireOwnerOrAdmin(c, me);
        long userId = pathId(ctx, "userId", "a user id");
        if (!db.moderators().remove(c.id(), userId, me.id())) {
            throw ApiException.notFound("User " + userId + " is not a moderator of channel '" + c.slug() + "'.");
        }
        // Every request re-reads the moderator list; the command tells the sockets the user has open, on every node.
        commands.send(new NodeCommand.RevokeModerator(c.id(), userId));
        ctx.status(204);
    }

    // ---- bans and timeouts

    private void listBans(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        ctx.json(Map.of("items", db.bans().listActive(c.id(), clock.instant()).stream().map(ModerationJson.BanJson::of).toList()));
    }

    private void ban(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        BanRequest req = Json.body(ctx, BanRequest.class);
        Validator v = new Validator();
        v.check(req.userId() != null, "userId", "is required");
        if (req.durationSeconds() != null) {
            v.check(req.durationSeconds() >= 1 && req.durationSeconds() <= MAX_TIMEOUT_SECONDS, "durationSeconds",
                    "must be 1 to " + MAX_TIMEOUT_SECONDS + " (leave it out for a permanent ban)");
        }
        v.check(req.reason() == null || req.reason().length() <= MAX_REASON, "reason", "at most " + MAX_REASON + " characters");
        v.throwIfInvalid();
        User target = db.users().findById(req.userId())
                .orElseThrow(() -> ApiException.invalidField("userId", "names no user"));
        if (target.id() == me.id()) throw ApiException.invalidField("userId", "is you; you can't ban or time out yourself");
        if (target.id() == c.ownerId()) throw ApiException.forbidden("The owner of a channel can't be banned from its chat.");
        if (target.isAdmin()) throw ApiException.forbidden("Administrators can't be banned from a chat.");
        if (!ChannelRights.isOwnerOrAdmin(c, me) && db.moderators().isModerator(c.id(), target.id())) {
            throw ApiException.forbidden("Only the owner or an administrator can ban or time out a moderator.");
        }
        String reason = req.reason() == null || req.reason().isBlank() ? null : req.reason().strip();
        Ban ban = db.bans().ban(c.id(), target.id(), me.id(), reason,
                req.durationSeconds() == null ? null : Duration.ofSeconds(req.durationSeconds()));
        events.userBanned(ban);
        ctx.status(201).json(ModerationJson.BanJson.of(ban));
    }

    private void unban(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        long userId = pathId(ctx, "userId", "a user id");
        if (!db.bans().lift(c.id(), userId, me.id())) {
            throw ApiException.notFound("User " + userId + " is not banned or timed out in channel '" + c.slug() + "'.");
        }
        events.userUnbanned(c.id(), userId, db.users().findById(userId).map(User::username).orElse(null));
        ctx.status(204);
    }

    // ---- log

    private void log(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        int limit = Paging.limit(ctx);
        List<ModerationAction> rows = db.moderationLog().list(c.id(), before(ctx), limit + 1);
        page(ctx, rows, limit, ModerationAction::id, ModerationJson.ActionJson::of);
    }

    // ---- reports

    private void report(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        ReportRequest req = Json.body(ctx, ReportRequest.class);
        Validator v = new Validator();
        v.check(req.messageId() != null || req.userId() != null, "messageId", "give the message or the user (userId) you report");
        if (v.check(req.reason() != null && !req.reason().isBlank(), "reason", "is required: say what is wrong"))
            v.check(req.reason().length() <= MAX_REASON, "reason", "at most " + MAX_REASON + " characters");
        v.throwIfInvalid();
        long target;
        if (req.messageId() != null) {
            ChatMessage m = db.chatMessages().findById(req.messageId()).filter(x -> x.channelId() == c.id())
                    .orElseThrow(() -> ApiException.invalidField("messageId", "names no message of this channel"));
            if (req.userId() != null && req.userId() != m.userId()) {
                throw ApiException.invalidField("userId", "is not the author of the reported message");
            }
            target = m.userId();
        } else {
            target = db.users().findById(req.userId()).map(User::id)
                    .orElseThrow(() -> ApiException.invalidField("userId", "names no user"));
        }
        if (target == me.id()) throw ApiException.invalidField(req.messageId() != null ? "messageId" : "userId", "is yours; you can't report yourself");
        RateLimiter.Decision d = limiter.acquire("chat:report:" + me.id(), REPORTS_PER_WINDOW, REPORT_WINDOW);
        if (!d.allowed()) {
            long s = Math.max(1, d.retryAfter().toSeconds());
            throw ApiException.tooManyRequests("You have filed many reports recently; wait " + s + " s.", s);
        }
        Report r = db.reports().file(c.id(), me.id(), target, req.messageId(), req.reason().strip());
        ctx.status(201).json(ModerationJson.ReportJson.of(r));
    }

    private void listReports(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        int limit = Paging.limit(ctx);
        String raw = ctx.queryParam("status");
        Report.Status status = switch (raw == null || raw.isEmpty() ? "open" : raw.toLowerCase(Locale.ROOT)) {
            case "open" -> Report.Status.OPEN;
            case "resolved" -> Report.Status.RESOLVED;
            case "all" -> null;
            default -> throw ApiException.invalidField("status", "must be open, resolved or all");
        };
        List<Report> rows = db.reports().list(c.id(), status, before(ctx), limit + 1);
        page(ctx, rows, limit, Report::id, ModerationJson.ReportJson::of);
    }

    private void resolve(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        long id = pathId(ctx, "reportId", "a report id");
        ResolveRequest req = ctx.body().isBlank() ? new ResolveRequest(null) : Json.body(ctx, ResolveRequest.class);
        String resolution = reason(req.resolution(), "resolution");
        Report existing = db.reports().find(c.id(), id)
                .orElseThrow(() -> ApiException.notFound("Channel '" + c.slug() + "' has no report " + id + "."));
        if (existing.status() == Report.Status.RESOLVED) {
            throw ApiException.conflict("reportId", "Report " + id + " is already resolved.");
        }
        Report resolved = db.reports().resolve(c.id(), id, me.id(), resolution)
                .orElseThrow(() -> ApiException.conflict("reportId", "Report " + id + " was resolved meanwhile."));
        ctx.json(ModerationJson.ReportJson.of(resolved));
    }

    // ---- helpers

    private Channel moderated(Context ctx, Principal me) {
        Channel c = lookup.find(ctx, Optional.of(me));
        rights.requireModerator(c, me);
        return c;
    }

    private User pathUser(Context ctx) {
        long id = pathId(ctx, "userId", "a user id");
        return db.users().findById(id).orElseThrow(() -> ApiException.notFound("No user " + id + "."));
    }

    private static long pathId(Context ctx, String name, String what) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("'" + raw + "' is not " + what + ".");
        }
    }

    private static Long before(Context ctx) {
        String raw = ctx.queryParam("before");
        if (raw == null || raw.isEmpty()) return null;
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.invalidField("before", "must be the \"next\" value of the previous page");
        }
    }

    private static String reason(String raw, String field) {
        if (raw == null || raw.isBlank()) return null;
        if (raw.length() > MAX_REASON) throw ApiException.invalidField(field, "at most " + MAX_REASON + " characters");
        return raw.strip();
    }

    private static <T> void page(Context ctx, List<T> rows, int limit, Function<T, Long> id, Function<T, Object> view) {
        boolean more = rows.size() > limit;
        List<T> items = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new HashMap<>();
        body.put("items", items.stream().map(view).toList());
        body.put("next", more ? Long.toString(id.apply(items.getLast())) : null);
        ctx.json(body);
    }
}
