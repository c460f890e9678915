package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.http.ApiException;
import live.cascade.db.Database;
import live.cascade.db.User;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Once the operator publishes a new version of the Terms or the Privacy notice, an account that has not accepted it
 * may still read everything but not add or change content until it does: creating and editing channels, following,
 * chatting (REST and socket), moderation and reports to a channel, recordings and clips, the profile, and going live
 * (WHIP and RTMP, through {@code DbChannelDirectory}). Deleting stays open (an account can always take its own things
 * down, unfollow or leave), as do the account's own settings, export and deletion under {@code /api/me}, appeals, DMCA
 * counter-notices and site reports, which are rights the texts cannot make conditional. Administrators act for the
 * operator who publishes the texts and are not held back here.
 */
public final class TermsGate {
    /** The problem type of the refusal; the web app sends the person to {@link #PAGE} when it sees it. */
    public static final String PROBLEM_TYPE = "urn:cascade:terms-not-accepted";
    public static final String PAGE = "/accept-terms";
    /** Path prefixes whose POST, PUT and PATCH requests the gate holds. */
    static final Set<String> GATED = Set.of("/api/channels", "/api/recordings/", "/api/profiles/");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    private final Database db;
    private final Authenticator auth;

    TermsGate(Database db, Authenticator auth) {
        this.db = db;
        this.auth = auth;
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.before("/api/channels", this::check);
        cfg.routes.before("/api/channels/*", this::check);
        cfg.routes.before("/api/recordings/*", this::check);
        cfg.routes.before("/api/profiles/*", this::check);
    }

    private void check(Context ctx) {
        if (!WRITES.contains(ctx.method().name())) return;
        Optional<String> refusal;
        try {
            Optional<Principal> me = auth.current(ctx);
            if (me.isEmpty()) return; // the endpoint answers 401 itself
            refusal = refusal(db, me.get().user());
        } catch (RuntimeException e) {
            // The endpoint behind meets the same outage and answers it in its own way (chat: 503 with a retry delay).
            if (DatabaseOutage.isUnreachable(e)) return;
            throw e;
        }
        if (refusal.isPresent()) throw problem(refusal.get());
    }

    /** The 403 problem document for a refusal's detail. */
    public static ApiException problem(String detail) {
        return ApiException.forbidden(detail).type(PROBLEM_TYPE);
    }

    /**
     * Why {@code user} may not write yet: the texts whose current version it has not accepted, where to read them and
     * how to accept them. Empty when up to date, when nothing is published, or for an administrator.
     */
    public static Optional<String> refusal(Database db, User user) {
        if (user.isAdmin()) return Optional.empty();
        Map<String, Integer> pending = db.safety().legal().unaccepted(user.id());
        if (pending.isEmpty()) return Optional.empty();
        String what = pending.entrySet().stream()
                .map(e -> (e.getKey().equals("terms") ? "the Terms of Service" : "the Privacy notice") + " (version " + e.getValue()
                        + ", /" + e.getKey() + ")")
                .collect(Collectors.joining(" and "));
        String how = pending.entrySet().stream()
                .map(e -> "{\"kind\":\"" + e.getKey() + "\",\"version\":" + e.getValue() + "}")
                .collect(Collectors.joining(", then "));
        return Optional.of("This site published new " + (pending.size() == 1 ? "text" : "texts") + " you have not accepted yet: " + what
                + ". Read and accept them on " + PAGE + " (or POST /api/me/legal/accept with " + how
                + ") before you chat, go live or change channels; reading stays open.");
    }
}
