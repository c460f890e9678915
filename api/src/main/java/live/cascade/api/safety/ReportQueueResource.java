package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Paging;
import live.cascade.api.http.Validator;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.PlatformReport;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The site-wide report queue: anyone signed in reports a channel, a user, a chat message or a recording/clip to the
 * site's administrators ({@code POST /api/reports}); administrators triage, assign and act ({@code /api/admin/reports}).
 */
final class ReportQueueResource {
    static final Set<String> KINDS = Set.of("channel", "user", "message", "recording");
    static final List<String> REASONS = List.of("spam", "harassment", "hate", "sexual_content", "violence", "self_harm",
            "minor_safety", "copyright", "impersonation", "illegal", "other");
    /** States an administrator sets by hand; "actioned" is set by taking an action. */
    static final Set<String> TRIAGE_STATES = Set.of("open", "triaged", "dismissed");

    private final Database db;
    private final Authenticator auth;
    private final Enforcer enforcer;

    ReportQueueResource(Database db, Authenticator auth, Enforcer enforcer) {
        this.db = db;
        this.auth = auth;
        this.enforcer = enforcer;
    }

    record FileRequest(String subjectKind, Long subjectId, String reason, String details, String evidenceUrl) {
    }

    record TriageRequest(String state, Long assigneeId, String note) {
    }

    record ActionRequest(String action, String reason) {
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/reports", this::file);
        cfg.routes.get("/api/admin/reports", this::list);
        cfg.routes.get("/api/admin/reports/{id}", ctx -> ctx.json(find(ctx)));
        cfg.routes.patch("/api/admin/reports/{id}", this::triage);
        cfg.routes.post("/api/admin/reports/{id}/actions", this::act);
    }

    private void file(Context ctx) {
        Principal me = auth.require(ctx);
        FileRequest req = Json.body(ctx, FileRequest.class);
        Validator v = new Validator();
        v.check(req.subjectKind() != null && KINDS.contains(req.subjectKind()), "subjectKind", "must be channel, user, message or recording");
        v.check(req.subjectId() != null && req.subjectId() > 0, "subjectId", "is required: the id of the channel, user, message or recording");
        v.check(req.reason() != null && REASONS.contains(req.reason()), "reason", "must be one of " + String.join(", ", REASONS));
        v.check(req.details() == null || req.details().length() <= 2000, "details", "must be at most 2000 characters");
        v.check(req.evidenceUrl() == null || isHttpUrl(req.evidenceUrl()), "evidenceUrl", "must be an http(s) URL of at most 1000 characters");
        v.throwIfInvalid();
        long owner = ownerOf(req.subjectKind(), req.subjectId());
        PlatformReport r = db.safety().reports().file(me.id(), req.subjectKind(), req.subjectId(), owner == 0 ? null : owner,
                req.reason(), blankToNull(req.details()), blankToNull(req.evidenceUrl()));
        ctx.status(201).json(Map.of("id", r.id(), "state", r.state()));
    }

    /** The account the subject belongs to; 404 when there is no such subject. */
    private long ownerOf(String kind, long id) {
        ApiException none = ApiException.notFound("There is no " + kind + " with id " + id + " to report.");
        return switch (kind) {
            case "channel" -> db.channels().findById(id).map(Channel::ownerId).orElseThrow(() -> none);
            case "user" -> db.users().findById(id).map(u -> u.id()).orElseThrow(() -> none);
            case "message" -> db.chatMessages().findById(id).map(m -> m.userId()).orElseThrow(() -> none);
            case "recording" -> db.recordings().findById(id)
                    .map(r -> db.channels().findById(r.channelId()).map(Channel::ownerId).orElse(0L)).orElseThrow(() -> none);
            default -> throw new IllegalStateException(kind);
        };
    }

    private void list(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        String state = ctx.queryParam("state");
        if (state != null && !state.isEmpty() && !TRIAGE_STATES.contains(state) && !"actioned".equals(state)) {
            throw ApiException.invalidField("state", "must be open, triaged, actioned or dismissed");
        }
        String assignee = ctx.queryParam("assignee");
        Long assigneeId = null;
        if ("me".equals(assignee)) assigneeId = admin.id();
        else if (assignee != null && !assignee.isEmpty()) assigneeId = parseId("assignee", assignee);
        String before = ctx.queryParam("before");
        int limit = Paging.limit(ctx);
        List<PlatformReport> rows = db.safety().reports().list(emptyToNull(state), assigneeId,
                before == null || before.isEmpty() ? null : parseId("before", before), limit + 1);
        boolean more = rows.size() > limit;
        List<PlatformReport> page = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new HashMap<>();
        body.put("items", page);
        body.put("next", more ? Long.toString(page.getLast().id()) : null);
        ctx.json(body);
    }

    private PlatformReport find(Context ctx) {
        auth.requireAdmin(ctx);
        long id = parseId("id", ctx.pathParam("id"));
        return db.safety().reports().find(id).orElseThrow(() -> ApiException.notFound("No report " + id + "."));
    }

    private void triage(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        PlatformReport r = find(ctx);
        TriageRequest req = Json.body(ctx, TriageRequest.class);
        Validator v = new Validator();
        v.check(req.state() == null || TRIAGE_STATES.contains(req.state()), "state",
                "must be open, triaged or dismissed (taking an action sets actioned)");
        if (req.assigneeId() != null && req.assigneeId() != 0) {
            v.check(db.users().findById(req.assigneeId()).map(u -> u.isAdmin()).orElse(false), "assigneeId",
                    "must name an administrator (0 unassigns)");
        }
        v.check(req.note() == null || req.note().length() <= 1000, "note", "must be at most 1000 characters");
        v.throwIfInvalid();
        if ("actioned".equals(r.state()) && req.state() != null) {
            throw new ApiException(409, "Conflict", "Report " + r.id() + " was acted on already; appeals undo actions, not triage.");
        }
        ctx.json(db.safety().reports().update(r.id(), admin.id(), req.state(), req.assigneeId(), null, req.note()).orElseThrow());
    }

    private void act(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        PlatformReport r = find(ctx);
        ActionRequest req = Json.body(ctx, ActionRequest.class);
        Validator v = new Validator();
        var kind = EnforcementKind.parse(req.action());
        v.check(kind.isPresent(), "action", "must be suspend_user, suspend_channel, delete_message, take_down_recording or dismiss");
        v.check(req.reason() != null && !req.reason().isBlank() && req.reason().length() <= 1000, "reason",
                "is required (1-1000 characters): the affected person is told it");
        v.throwIfInvalid();
        if ("actioned".equals(r.state()) || "dismissed".equals(r.state())) {
            throw new ApiException(409, "Conflict", "Report " + r.id() + " is " + r.state() + " already; file a new report to act again.");
        }
        EnforcementKind k = kind.get();
        if (k == EnforcementKind.DISMISS) {
            ctx.json(Map.of("report", db.safety().reports().update(r.id(), admin.id(), "dismissed", null, "none", req.reason()).orElseThrow()));
            return;
        }
        long subject = subjectFor(k, r);
        Long affected = k == EnforcementKind.SUSPEND_USER ? Long.valueOf(subject) : r.subjectUserId();
        if (affected != null && affected == admin.id()) throw ApiException.badRequest("Administrators cannot act on reports about themselves.");
        Enforcer.Done done = enforcer.apply(k, subject, affected, r.id(), admin.id(), req.reason().strip());
        PlatformReport updated = db.safety().reports().update(r.id(), admin.id(), "actioned", null, k.dbValue(), req.reason().strip()).orElseThrow();
        Map<String, Object> body = new HashMap<>();
        body.put("report", updated);
        body.put("enforcement", done.enforcement());
        body.put("userNotified", done.userNotified());
        ctx.status(201).json(body);
    }

    /** What the action applies to: the reported subject, or the account behind it for a suspension. 400 if it does not fit. */
    private static long subjectFor(EnforcementKind k, PlatformReport r) {
        String kind = r.subjectKind();
        boolean fits = switch (k) {
            case SUSPEND_USER -> r.subjectUserId() != null;
            case SUSPEND_CHANNEL -> kind.equals("channel");
            case DELETE_MESSAGE -> kind.equals("message");
            case TAKE_DOWN_RECORDING -> kind.equals("recording");
            case DISMISS -> true;
        };
        if (!fits) throw ApiException.invalidField("action", k.apiName() + " does not apply to a report on a " + kind
                + (k == EnforcementKind.SUSPEND_USER ? " whose account is gone" : ""));
        return k == EnforcementKind.SUSPEND_USER ? r.subjectUserId() : r.subjectId();
    }

    static long parseId(String field, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidField(field, "must be a positive number");
    }

    private static boolean isHttpUrl(String s) {
        if (s.length() > 1000) return false;
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
