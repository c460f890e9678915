package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.SignupTerms;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.Database;
import live.cascade.db.LegalDocument;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's Terms of Service and Privacy notice (versioned; the web app shows them at /terms and /privacy and
 * links them from signup and the footer), which version each account accepted, and the birth year behind mature
 * channels' age gate.
 */
final class LegalResource {
    static final List<String> KINDS = List.of("terms", "privacy");
    static final int MAX_BODY = 200_000;
    /** Mature channels are for viewers of at least this age, by birth year (the conservative reading: 18 this year). */
    static final int ADULT_AGE = 18;

    private final Database db;
    private final Authenticator auth;
    private final Clock clock;

    LegalResource(Database db, Authenticator auth, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.clock = clock;
    }

    record PublishRequest(String body) {
    }

    record AcceptRequest(String kind, Integer version) {
    }

    record BirthYearRequest(Integer birthYear) {
    }

    void routes(JavalinConfig cfg) {
        // Which texts exist and their versions, so signup and the admin page ask without a 404 when there are none yet.
        cfg.routes.get("/api/legal", ctx -> {
            Map<String, Object> body = new HashMap<>();
            for (String k : KINDS) body.put(k, db.safety().legal().current(k).map(d -> Map.of("version", d.version(), "publishedAt", d.publishedAt())).orElse(null));
            ctx.json(body);
        });
        cfg.routes.get("/api/legal/{kind}", ctx -> {
            String kind = kind(ctx);
            LegalDocument d = db.safety().legal().current(kind).orElseThrow(() -> ApiException.notFound("The operator of this site "
                    + "has not published " + (kind.equals("terms") ? "Terms of Service" : "a Privacy notice") + " yet."));
            ctx.json(d);
        });
        cfg.routes.put("/api/admin/legal/{kind}", this::publish);
        cfg.routes.get("/api/me/legal", this::mine);
        cfg.routes.post("/api/me/legal/accept", this::accept);
        cfg.routes.get("/api/me/birth-year", ctx -> ctx.json(age(auth.require(ctx).id())));
        cfg.routes.put("/api/me/birth-year", this::setBirthYear);
    }

    private static String kind(Context ctx) {
        String kind = ctx.pathParam("kind");
        if (!KINDS.contains(kind)) throw ApiException.notFound("No legal text '" + kind + "': there are terms and privacy.");
        return kind;
    }

    private void publish(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        String kind = kind(ctx);
        PublishRequest req = Json.body(ctx, PublishRequest.class);
        Validator v = new Validator();
        v.check(req.body() != null && !req.body().isBlank() && req.body().length() <= MAX_BODY, "body",
                "is required (1-" + MAX_BODY + " characters of plain text; blank lines separate paragraphs)");
        v.throwIfInvalid();
        ctx.status(201).json(db.safety().legal().publish(kind, req.body().strip(), admin.id()));
    }

    private void mine(Context ctx) {
        Principal me = auth.require(ctx);
        Map<String, Object> current = new HashMap<>();
        for (String k : KINDS) current.put(k, db.safety().legal().current(k).map(LegalDocument::version).orElse(null));
        ctx.json(Map.of("current", current, "accepted", db.safety().legal().acceptances(me.id())));
    }

    private void accept(Context ctx) {
        Principal me = auth.require(ctx);
        AcceptRequest req = Json.body(ctx, AcceptRequest.class);
        Validator v = new Validator();
        v.check(req.kind() != null && KINDS.contains(req.kind()), "kind", "must be terms or privacy");
        v.throwIfInvalid();
        Optional<LegalDocument> cur = db.safety().legal().current(req.kind());
        if (cur.isEmpty() || req.version() == null || req.version() != cur.get().version()) {
            throw ApiException.invalidField("version", cur.map(d -> "must be " + d.version() + ", the current version").orElse("there is no published text to accept"));
        }
        db.safety().legal().accept(me.id(), req.kind(), req.version());
        ctx.status(204);
    }

    private Map<String, Object> age(long userId) {
        Optional<Integer> year = db.users().birthYear(userId);
        Map<String, Object> m = new HashMap<>();
        m.put("birthYear", year.orElse(null));
        m.put("adult", year.map(y -> adult(clock, y)).orElse(false));
        return m;
    }

    static boolean adult(Clock clock, int birthYear) {
        return clock.instant().atZone(ZoneOffset.UTC).getYear() - birthYear >= ADULT_AGE;
    }

    /** The birth year is confirmed once; changing it needs an administrator (it opens mature channels). */
    private void setBirthYear(Context ctx) {
        Principal me = auth.require(ctx);
        BirthYearRequest req = Json.body(ctx, BirthYearRequest.class);
        int thisYear = clock.instant().atZone(ZoneOffset.UTC).getYear();
        Validator v = new Validator();
        v.check(req.birthYear() != null && req.birthYear() >= 1900 && req.birthYear() <= thisYear, "birthYear",
                "must be a year from 1900 to " + thisYear);
        v.throwIfInvalid();
        if (db.users().birthYear(me.id()).isPresent()) {
            throw new ApiException(409, "Conflict", "Your birth year is confirmed already; ask the administrators to correct it.");
        }
        db.users().setBirthYear(me.id(), req.birthYear());
        ctx.json(age(me.id()));
    }

    /**
     * At signup: when the operator published Terms, the request must accept their current version ({@code termsVersion});
     * accepting records the Privacy notice's current version too, once the account exists.
     */
    SignupTerms signupTerms() {
        return termsVersion -> {
            Optional<LegalDocument> terms = db.safety().legal().current("terms");
            if (terms.isEmpty()) return userId -> { };
            if (termsVersion == null || termsVersion != terms.get().version()) {
                throw ApiException.invalidField("termsVersion", "must be " + terms.get().version()
                        + ": read and accept the current Terms of Service (GET /api/legal/terms) to sign up");
            }
            Optional<LegalDocument> privacy = db.safety().legal().current("privacy");
            return userId -> {
                db.safety().legal().accept(userId, "terms", terms.get().version());
                privacy.ifPresent(p -> db.safety().legal().accept(userId, "privacy", p.version()));
            };
        };
    }
}
