package live.cascade.api.moderation;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Channel;
import live.cascade.db.ChatSettings;
import live.cascade.db.Database;
import live.cascade.db.ModerationAction;
import live.cascade.db.Report;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The HTTP side of moderating a channel's chat (docs/chat.md): routes, who is asking, the channel and the caller's
 * right to act on it, path and query parameters and bodies, and the status of each {@link Outcome} of
 * {@link Moderation}, which holds the rules.
 */
public final class ModerationResource {
    record ResolveRequest(String resolution) {
    }

    private final Database db;
    private final Authenticator auth;
    private final ChannelLookup lookup;
    private final ChannelRights rights;
    private final Moderation moderation;

    public ModerationResource(Database db, Authenticator auth, ChannelRights rights, ModerationEvents events,
                              RateLimiter limiter, NodeCommands commands, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.lookup = new ChannelLookup(db);
        this.rights = rights;
        this.moderation = new Moderation(db, events, limiter, commands, clock);
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

    /** The one place a refusal becomes a status (thrown as a problem document for {@code ProblemResponder}). */
    private static <T> T orRefuse(Outcome<T> outcome) {
        return switch (outcome) {
            case Outcome.Done<T>(T value) -> value;
            case Outcome.Invalid<T>(var errors) -> throw ApiException.invalid(errors);
            case Outcome.Pointless<T>(String detail) -> throw ApiException.badRequest(detail);
            case Outcome.Forbidden<T>(String detail) -> throw ApiException.forbidden(detail);
            case Outcome.NotFound<T>(String detail) -> throw ApiException.notFound(detail);
            case Outcome.Conflict<T>(String field, String detail) -> throw ApiException.conflict(field, detail);
            case Outcome.TooMany<T>(String detail, long retryAfter) -> throw ApiException.tooManyRequests(detail, retryAfter);
        };
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
        Moderation.SettingsChange req = Json.body(ctx, Moderation.SettingsChange.class);
        ctx.json(ModerationJson.SettingsJson.of(orRefuse(moderation.changeSettings(c, me, req))));
    }

    // ---- messages

    private void deleteMessage(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        long id = pathId(ctx, "messageId", "a message id");
        orRefuse(moderation.deleteMessage(c, me, id, ctx.queryParam("reason")));
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
        long userId = pathId(ctx, "userId", "a user id");
        Moderation.Appointment a = orRefuse(moderation.appoint(c, me, userId));
        ctx.status(a.added() ? 201 : 200).json(ModerationJson.ModeratorJson.of(a.moderator()));
    }

    private void dismiss(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = lookup.find(ctx, Optional.of(me));
        rights.requireOwnerOrAdmin(c, me);
        orRefuse(moderation.dismiss(c, me, pathId(ctx, "userId", "a user id")));
        ctx.status(204);
    }

    // ---- bans and timeouts

    private void listBans(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        ctx.json(Map.of("items", moderation.activeBans(c).stream().map(ModerationJson.BanJson::of).toList()));
    }

    private void ban(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        Moderation.BanOrder req = Json.body(ctx, Moderation.BanOrder.class);
        ctx.status(201).json(ModerationJson.BanJson.of(orRefuse(moderation.ban(c, me, req))));
    }

    private void unban(Context ctx) {
        Principal me = auth.require(ctx);
        Channel c = moderated(ctx, me);
        orRefuse(moderation.unban(c, me, pathId(ctx, "userId", "a user id")));
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
        Moderation.Complaint req = Json.body(ctx, Moderation.Complaint.class);
        ctx.status(201).json(ModerationJson.ReportJson.of(orRefuse(moderation.report(c, me, req))));
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
        ctx.json(ModerationJson.ReportJson.of(orRefuse(moderation.resolve(c, me, id, req.resolution()))));
    }

    // ---- helpers

    private Channel moderated(Context ctx, Principal me) {
        Channel c = lookup.find(ctx, Optional.of(me));
        rights.requireModerator(c, me);
        return c;
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

    private static <T> void page(Context ctx, List<T> rows, int limit, Function<T, Long> id, Function<T, Object> view) {
        boolean more = rows.size() > limit;
        List<T> items = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new HashMap<>();
        body.put("items", items.stream().map(view).toList());
        body.put("next", more ? Long.toString(id.apply(items.getLast())) : null);
        ctx.json(body);
    }
}
