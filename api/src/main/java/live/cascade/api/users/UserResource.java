package live.cascade.api.users;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.UserJson;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.db.Channel;
import live.cascade.db.ChannelQuery;
import live.cascade.db.Database;
import live.cascade.db.ModerationAction;
import live.cascade.db.Page;
import live.cascade.db.Role;
import live.cascade.db.RoleChange;
import live.cascade.db.User;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users: the admin list, a user's public view (by id or by username), suspension (which ends their broadcasts), and
 * roles (admins make accounts admin or user; the site-wide log records it).
 */
public final class UserResource {
    private static final Logger LOG = LoggerFactory.getLogger(UserResource.class);
    private final Database db;
    private final Authenticator auth;
    private final NodeCommands commands;

    public UserResource(Database db, Authenticator auth, NodeCommands commands) {
        this.db = db;
        this.auth = auth;
        this.commands = commands;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/users", this::list);
        cfg.routes.get("/api/users/{id}", this::get);
        cfg.routes.get("/api/users/by-username/{username}", this::byUsername);
        cfg.routes.patch("/api/users/{id}", this::changeRole);
        cfg.routes.get("/api/admin/log", this::siteLog);
        cfg.routes.post("/api/users/{id}/suspend", ctx -> setSuspended(ctx, true));
        cfg.routes.post("/api/users/{id}/restore", ctx -> setSuspended(ctx, false));
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        int limit = Paging.limit(ctx);
        long after = Paging.afterId(ctx);
        List<User> users = db.users().list(limit + 1, after);
        boolean more = users.size() > limit;
        List<User> page = more ? users.subList(0, limit) : users;
        Map<String, Object> body = new HashMap<>();
        body.put("items", page.stream().map(u -> UserJson.of(u, true)).toList());
        body.put("next", more ? Long.toString(page.getLast().id()) : null);
        ctx.json(body);
    }

    private void get(Context ctx) {
        User u = find(ctx);
        Optional<Principal> me = auth.current(ctx);
        boolean privileged = me.map(p -> p.isAdmin() || p.id() == u.id()).orElse(false);
        if (u.suspended() && !privileged) throw ApiException.notFound("No user with id " + u.id() + ".");
        ctx.json(UserJson.of(u, privileged));
    }

    /**
     * The public view of the account with this username (any case), so pages can let people name a user (a top friend,
     * a moderator) by name rather than by id. Usernames are public already (chat, profiles); emails are not, so a
     * name that only matches someone's email answers 404 like any unknown name.
     */
    private void byUsername(Context ctx) {
        String name = ctx.pathParam("username").strip();
        User u = db.users().findByLogin(name).filter(found -> found.username().equalsIgnoreCase(name))
                .orElseThrow(() -> ApiException.notFound("No user is called '" + name + "'."));
        Optional<Principal> me = auth.current(ctx);
        boolean privileged = me.map(p -> p.isAdmin() || p.id() == u.id()).orElse(false);
        if (u.suspended() && !privileged) throw ApiException.notFound("No user is called '" + name + "'.");
        ctx.json(UserJson.of(u, privileged));
    }

    record RoleRequest(String role) {
    }

    /** {@code {"role":"admin"|"user"}}: admins only, logged site-wide, never leaving the node without an admin. */
    private void changeRole(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        long id = idParam(ctx, "id");
        RoleRequest req = Json.body(ctx, RoleRequest.class);
        Role role = switch (req.role() == null ? "" : req.role()) {
            case "admin" -> Role.ADMIN;
            case "user" -> Role.USER;
            default -> throw ApiException.invalidField("role", "must be \"admin\" or \"user\"");
        };
        switch (db.users().changeRole(id, role, admin.id())) {
            case RoleChange.Changed c -> {
                LOG.info("{} made {} (id {}) {}", admin.user().username(), c.user().username(), id, req.role());
                // An admin moderates every chat: the user's open sockets learn what they may moderate now.
                commands.send(new NodeCommand.RoleChanged(id));
                ctx.json(UserJson.of(c.user(), true));
            }
            case RoleChange.Unchanged u -> ctx.json(UserJson.of(u.user(), true));
            case RoleChange.NoSuchUser n -> throw ApiException.notFound("No user with id " + id + ".");
            case RoleChange.LastAdmin l -> throw new ApiException(409, "Conflict", l.user().username()
                    + " is the last active administrator of this node; make another account admin first.");
        }
    }

    /** The site-wide part of the moderation log (role changes), newest first; {@code cursor} pages back. */
    private void siteLog(Context ctx) {
        auth.requireAdmin(ctx);
        int limit = Paging.limit(ctx);
        long before = Paging.afterId(ctx);
        List<ModerationAction> rows = db.moderationLog().listSiteWide(before > 0 ? before : null, limit + 1);
        boolean more = rows.size() > limit;
        List<ModerationAction> page = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new HashMap<>();
        body.put("items", page.stream().map(SiteLogJson::of).toList());
        body.put("next", more ? Long.toString(page.getLast().id()) : null);
        ctx.json(body);
    }

    private void setSuspended(Context ctx, boolean suspended) {
        Principal admin = auth.requireAdmin(ctx);
        User u = find(ctx);
        if (u.id() == admin.id()) throw ApiException.badRequest("Administrators cannot suspend themselves.");
        setSuspended(db, commands, u.id(), suspended);
        ctx.json(UserJson.of(db.users().findById(u.id()).orElseThrow(), true));
    }

    public static long idParam(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No user with id '" + ctx.pathParam(name) + "'; user ids are numbers.");
        }
    }

    private User find(Context ctx) {
        long id = idParam(ctx, "id");
        return db.users().findById(id).orElseThrow(() -> ApiException.notFound("No user with id " + id + "."));
    }

    /**
     * Suspends or restores an account. A suspended user's sessions end at once, not when they expire, and so does
     * everything open with them on every node (chat sockets); their broadcasts go off the air as a suspended channel's do.
     * Shared by this resource and the trust-and-safety report queue.
     */
    public static void setSuspended(Database db, NodeCommands commands, long userId, boolean suspended) {
        db.users().setSuspended(userId, suspended);
        if (!suspended) return;
        db.sessions().deleteAllForUser(userId);
        commands.send(new NodeCommand.RevokeUser(userId, NodeCommand.Revocation.SUSPENDED));
        String cursor = null;
        do {
            Page<Channel> page = db.channels().list(
                    new ChannelQuery(userId, null, null, null, null, true, ChannelQuery.MAX_LIMIT, cursor));
            for (Channel c : page.items()) {
                commands.send(new NodeCommand.EndBroadcast(c.id(), NodeCommand.BroadcastEnd.USER_SUSPENDED));
            }
            cursor = page.next();
        } while (cursor != null);
    }
}
