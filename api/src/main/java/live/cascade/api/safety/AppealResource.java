package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.Secrets;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.db.Appeal;
import live.cascade.db.Database;
import live.cascade.db.DuplicateException;
import live.cascade.db.Enforcement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appeals: the affected account files one per enforcement action (signed in, or with the token its notice mail
 * carried, since a suspended account cannot sign in); an administrator upholds or reverses it, and the account is told.
 */
final class AppealResource {
    static final int MAX_STATEMENT = 4000;

    private final Database db;
    private final Authenticator auth;
    private final Enforcer enforcer;

    AppealResource(Database db, Authenticator auth, Enforcer enforcer) {
        this.db = db;
        this.auth = auth;
        this.enforcer = enforcer;
    }

    record FileRequest(Long enforcementId, String token, String statement) {
    }

    record DecisionRequest(String decision, String note) {
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/appeals", this::mine);
        cfg.routes.get("/api/appeals/enforcement", this::byToken);
        cfg.routes.post("/api/appeals", this::file);
        cfg.routes.get("/api/admin/appeals", this::list);
        cfg.routes.post("/api/admin/appeals/{id}/decision", this::decide);
    }

    /** The actions taken against the caller, each with its appeal if one was filed. */
    private void mine(Context ctx) {
        Principal me = auth.require(ctx);
        List<Appeal> appeals = db.safety().appeals().appeals(me.id(), null, null, 200);
        ctx.json(Map.of("items", db.safety().appeals().enforcementsOf(me.id()).stream().map(e -> view(e,
                appeals.stream().filter(a -> a.enforcementId() == e.id()).findFirst())).toList()));
    }

    /** The action an appeal link names, so the appeal page can show what it is about without a session. */
    private void byToken(Context ctx) {
        Enforcement e = byToken(ctx.queryParam("token"));
        ctx.json(view(e, db.safety().appeals().appeals(e.userId(), null, null, 200).stream()
                .filter(a -> a.enforcementId() == e.id()).findFirst()));
    }

    private Enforcement byToken(String token) {
        if (token == null || !token.startsWith(Enforcer.APPEAL_TOKEN_PREFIX) || token.length() > 100) {
            throw ApiException.invalidField("token", "must be the ap_… token from the link in the notice mail");
        }
        return db.safety().appeals().enforcementByAppealToken(Secrets.sha256Hex(token))
                .orElseThrow(() -> ApiException.notFound("This appeal link names no action; copy the whole link from the mail."));
    }

    private static Map<String, Object> view(Enforcement e, Optional<Appeal> appeal) {
        Map<String, Object> m = new HashMap<>();
        m.put("enforcement", e);
        m.put("appeal", appeal.orElse(null));
        m.put("appealable", appeal.isEmpty() && e.reversedAt() == null);
        return m;
    }

    private void file(Context ctx) {
        FileRequest req = Json.body(ctx, FileRequest.class);
        Validator v = new Validator();
        v.check(req.statement() != null && !req.statement().isBlank() && req.statement().length() <= MAX_STATEMENT, "statement",
                "is required (1-" + MAX_STATEMENT + " characters): say why the action was wrong");
        v.check(req.enforcementId() != null || req.token() != null, "enforcementId", "is required (or the token from the notice mail)");
        v.throwIfInvalid();
        Enforcement e;
        if (req.token() != null) {
            e = byToken(req.token());
        } else {
            Principal me = auth.require(ctx);
            e = db.safety().appeals().enforcement(req.enforcementId())
                    .filter(x -> x.userId() != null && x.userId() == me.id())
                    .orElseThrow(() -> ApiException.notFound("No action " + req.enforcementId() + " was taken against your account."));
        }
        if (e.userId() == null) throw ApiException.notFound("The account this action was taken against is gone.");
        if (e.reversedAt() != null) throw new ApiException(409, "Conflict", "This action was reversed already; there is nothing to appeal.");
        Appeal a;
        try {
            a = db.safety().appeals().file(e.id(), e.userId(), req.statement().strip());
        } catch (DuplicateException dup) {
            throw ApiException.conflict("enforcementId", "This action was appealed already; each action can be appealed once.");
        }
        ctx.status(201).json(a);
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        String state = ctx.queryParam("state");
        if (state != null && !state.isEmpty() && !List.of("pending", "upheld", "reversed").contains(state)) {
            throw ApiException.invalidField("state", "must be pending, upheld or reversed");
        }
        int limit = Paging.limit(ctx);
        String before = ctx.queryParam("before");
        List<Appeal> rows = db.safety().appeals().appeals(null, state == null || state.isEmpty() ? null : state,
                before == null || before.isEmpty() ? null : ReportQueueResource.parseId("before", before), limit + 1);
        boolean more = rows.size() > limit;
        List<Appeal> page = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new HashMap<>();
        body.put("items", page.stream().map(a -> {
            Map<String, Object> m = new HashMap<>();
            m.put("appeal", a);
            m.put("enforcement", db.safety().appeals().enforcement(a.enforcementId()).orElse(null));
            return m;
        }).toList());
        body.put("next", more ? Long.toString(page.getLast().id()) : null);
        ctx.json(body);
    }

    private void decide(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        long id = ReportQueueResource.parseId("id", ctx.pathParam("id"));
        DecisionRequest req = Json.body(ctx, DecisionRequest.class);
        Validator v = new Validator();
        v.check("uphold".equals(req.decision()) || "reverse".equals(req.decision()), "decision", "must be uphold or reverse");
        v.check(req.note() != null && !req.note().isBlank() && req.note().length() <= 2000, "note",
                "is required (1-2000 characters): the person who appealed is told it");
        v.throwIfInvalid();
        Appeal pending = db.safety().appeals().appeal(id).orElseThrow(() -> ApiException.notFound("No appeal " + id + "."));
        boolean reverse = "reverse".equals(req.decision());
        Appeal a = db.safety().appeals().decide(id, admin.id(), reverse, req.note().strip())
                .orElseThrow(() -> new ApiException(409, "Conflict", "Appeal " + id + " was decided already (" + pending.state() + ")."));
        Enforcement e = db.safety().appeals().enforcement(a.enforcementId()).orElseThrow();
        if (reverse) enforcer.reverse(e);
        boolean told = enforcer.tell(a.userId(), "appeal", "Your appeal was decided: " + (reverse ? "the action is undone" : "the action stands"),
                "an administrator decided your appeal " + a.id() + " against the action taken on " + e.createdAt() + " ("
                        + e.kind().replace('_', ' ') + ").\n\nDecision: " + (reverse ? "reversed; the action is undone." : "upheld; the action stands.")
                        + "\n\n" + req.note().strip() + "\n");
        Map<String, Object> body = new HashMap<>();
        body.put("appeal", a);
        body.put("enforcement", e);
        body.put("userNotified", told);
        ctx.json(body);
    }
}
