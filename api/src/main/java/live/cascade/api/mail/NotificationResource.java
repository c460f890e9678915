package live.cascade.api.mail;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.util.Map;

/**
 * The switches of "a channel you follow is live" mail: global ({@code /api/me/notifications}), per followed channel
 * ({@code PATCH /api/channels/{c}/follow}), and the signed one-click unsubscribe link the mails carry (RFC 8058: a
 * POST without cookies; a GET shows a page with a button, since link scanners fetch GETs on their own).
 */
final class NotificationResource {
    private static final String UNSUBSCRIBE = "/api/notifications/unsubscribe";

    private final Database db;
    private final Authenticator auth;
    private final Mailer mailer;
    private final UnsubscribeTokens tokens;

    NotificationResource(Database db, Authenticator auth, Mailer mailer, UnsubscribeTokens tokens) {
        this.db = db;
        this.auth = auth;
        this.mailer = mailer;
        this.tokens = tokens;
    }

    record Settings(Boolean liveNotifications) {
    }

    record FollowSettings(Boolean notifyLive) {
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.get(UNSUBSCRIBE, this::unsubscribePage);
        cfg.routes.post(UNSUBSCRIBE, this::unsubscribe);
        cfg.routes.get("/api/me/notifications", this::settings);
        cfg.routes.patch("/api/me/notifications", this::changeSettings);
        cfg.routes.patch("/api/channels/{channel}/follow", this::changeFollow);
    }

    private UnsubscribeTokens.Target target(Context ctx) {
        return tokens.verify(ctx.queryParam("u"), ctx.queryParam("c"), ctx.queryParam("s"))
                .orElseThrow(() -> ApiException.badRequest("This unsubscribe link is incomplete or was changed; copy the whole link from the mail."));
    }

    private void unsubscribePage(Context ctx) {
        UnsubscribeTokens.Target t = target(ctx);
        String what = t.allChannels() ? "all live notices" : "live notices of " + channelName(t.channelId());
        html(ctx, 200, "<h1>Unsubscribe</h1><p>Stop getting " + escape(what) + " by e-mail?</p>"
                + "<form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    private void unsubscribe(Context ctx) {
        UnsubscribeTokens.Target t = target(ctx);
        if (t.allChannels()) db.users().setNotifyLive(t.userId(), false);
        else db.follows().setNotifyLive(t.userId(), t.channelId(), false);
        String what = t.allChannels() ? "any live notices" : "live notices of " + channelName(t.channelId());
        html(ctx, 200, "<h1>Unsubscribed</h1><p>You will not get " + escape(what)
                + " by e-mail any more. You can turn them on again in your account settings.</p>");
    }

    private String channelName(long channelId) {
        return db.channels().findById(channelId).map(Channel::slug).orElse("a deleted channel");
    }

    private void settings(Context ctx) {
        Principal p = auth.require(ctx);
        ctx.json(json(p.id()));
    }

    private void changeSettings(Context ctx) {
        Principal p = auth.require(ctx);
        Settings req = Json.body(ctx, Settings.class);
        if (req.liveNotifications() == null) throw ApiException.invalidField("liveNotifications", "is required: true or false");
        db.users().setNotifyLive(p.id(), req.liveNotifications());
        ctx.json(json(p.id()));
    }

    private Map<String, Object> json(long userId) {
        boolean verified = db.users().findById(userId).map(u -> u.emailVerified()).orElse(false);
        // Each followed channel with its own opt-out, for the settings page (a person follows tens, not thousands).
        var channels = db.follows().listFollowedChannels(userId).stream().map(c -> Map.of("slug", c.slug(), "title", c.title(),
                "notifyLive", db.follows().notifyLive(userId, c.id()))).toList();
        return Map.of("liveNotifications", db.users().notifyLive(userId), "emailVerified", verified, "mailEnabled", mailer.enabled(),
                "channels", channels);
    }

    private void changeFollow(Context ctx) {
        Principal p = auth.require(ctx);
        String slug = ctx.pathParam("channel");
        Channel channel = db.channels().findBySlug(slug).orElseThrow(() -> ApiException.notFound("No channel '" + slug + "'."));
        FollowSettings req = Json.body(ctx, FollowSettings.class);
        if (req.notifyLive() == null) throw ApiException.invalidField("notifyLive", "is required: true or false");
        if (!db.follows().setNotifyLive(p.id(), channel.id(), req.notifyLive())) {
            throw ApiException.notFound("You do not follow '" + channel.slug() + "'; follow it first (POST /api/channels/" + channel.slug() + "/follow).");
        }
        ctx.json(Map.of("following", true, "notifyLive", req.notifyLive()));
    }

    private static void html(Context ctx, int status, String body) {
        ctx.header("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("text/html; charset=utf-8")
                .result("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                        + "<title>E-mail notices</title><main>" + body + "</main></html>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
