package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.api.mail.Mailer;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.DmcaNotice;
import live.cascade.db.DmcaRepository;
import live.cascade.db.Recording;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The DMCA take-down workflow. An administrator records a notice received by the site's designated agent; the
 * recording or clip is disabled (taken down, never deleted) at once and its uploader told. The uploader may file a
 * counter-notice; the claimant is sent it, and the content may be restored once {@link BusinessDays#DMCA_RESTORE_DAYS}
 * business days have passed, unless the claimant reports a suit first (then it is kept down). Every step is recorded on
 * the notice and in the audit log.
 */
final class DmcaResource {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final Database db;
    private final Authenticator auth;
    private final Enforcer enforcer;
    private final Mailer mailer;
    private final Clock clock;

    DmcaResource(Database db, Authenticator auth, Enforcer enforcer, Mailer mailer, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.enforcer = enforcer;
        this.mailer = mailer;
        this.clock = clock;
    }

    record NoticeRequest(Long recordingId, String claimantName, String claimantEmail, String claimantAddress,
                         String workDescription, String infringingLocation, String signature, Boolean goodFaith,
                         Boolean accurate) {
    }

    record CounterRequest(String name, String address, String statement, String signature, Boolean consentToJurisdiction,
                          Boolean goodFaith) {
    }

    record CloseRequest(String note) {
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/admin/dmca", this::record);
        cfg.routes.get("/api/admin/dmca", ctx -> {
            auth.requireAdmin(ctx);
            String state = ctx.queryParam("state");
            ctx.json(Map.of("items", db.safety().dmca().list(state == null || state.isEmpty() ? null : state, null, null, 200)));
        });
        cfg.routes.get("/api/admin/dmca/{id}", ctx -> {
            auth.requireAdmin(ctx);
            ctx.json(find(ctx));
        });
        cfg.routes.get("/api/dmca", ctx -> ctx.json(Map.of("items",
                db.safety().dmca().list(null, auth.require(ctx).id(), null, 200))));
        cfg.routes.post("/api/dmca/{id}/counter-notice", this::counter);
        cfg.routes.post("/api/admin/dmca/{id}/restore", ctx -> close(ctx, true));
        cfg.routes.post("/api/admin/dmca/{id}/keep-down", ctx -> close(ctx, false));
    }

    private DmcaNotice find(Context ctx) {
        long id = ReportQueueResource.parseId("id", ctx.pathParam("id"));
        return db.safety().dmca().find(id).orElseThrow(() -> ApiException.notFound("No DMCA notice " + id + "."));
    }

    private void record(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        NoticeRequest req = Json.body(ctx, NoticeRequest.class);
        Validator v = new Validator();
        v.check(req.recordingId() != null, "recordingId", "is required: the recording or clip the notice names");
        text(v, "claimantName", req.claimantName(), 200);
        if (text(v, "claimantEmail", req.claimantEmail(), 254)) v.check(EMAIL.matcher(req.claimantEmail()).matches(), "claimantEmail", "must be an e-mail address");
        text(v, "claimantAddress", req.claimantAddress(), 1000);
        text(v, "workDescription", req.workDescription(), 2000);
        text(v, "infringingLocation", req.infringingLocation(), 1000);
        text(v, "signature", req.signature(), 200);
        v.check(Boolean.TRUE.equals(req.goodFaith()), "goodFaith", "must be true: a notice needs the claimant's good-faith statement (512(c)(3)(A)(v))");
        v.check(Boolean.TRUE.equals(req.accurate()), "accurate", "must be true: a notice needs the statement of accuracy under penalty of perjury (512(c)(3)(A)(vi))");
        v.throwIfInvalid();
        Recording r = db.recordings().findById(req.recordingId())
                .orElseThrow(() -> ApiException.invalidField("recordingId", "names no recording or clip"));
        if (db.safety().dmca().holds(r.id())) {
            throw new ApiException(409, "Conflict", "Recording " + r.id() + " is already held by an open DMCA notice; add this one to the record by hand.");
        }
        Long uploader = db.channels().findById(r.channelId()).map(Channel::ownerId).orElse(null);
        if (r.takenDownAt() == null) db.recordings().takeDown(r.id(), admin.id(), "DMCA notice from " + req.claimantName().strip(), clock.instant());
        DmcaNotice n = db.safety().dmca().record(new DmcaRepository.Notice(r.id(), uploader, req.claimantName().strip(),
                req.claimantEmail().strip(), req.claimantAddress().strip(), req.workDescription().strip(),
                req.infringingLocation().strip(), req.signature().strip()), admin.id());
        boolean told = uploader != null && enforcer.tell(uploader, "dmca", "A copyright notice disabled your recording \"" + r.title() + "\"",
                "we received a notice under the US Digital Millennium Copyright Act claiming that your recording \"" + r.title()
                        + "\" infringes a copyright, and have disabled access to it.\n\nClaimant: " + n.claimantName()
                        + "\nWork claimed: " + n.workDescription() + "\n\nIf you believe it was removed by mistake or "
                        + "misidentification, you may send a counter-notice here:\n\n" + mailer.link("/dmca/" + n.id())
                        + "\n\nIt is sent to the claimant; unless they tell us within 10 business days that they have filed "
                        + "a court action, the recording is restored after that.\n");
        ctx.status(201).json(Map.of("notice", n, "uploaderNotified", told));
    }

    private void counter(Context ctx) {
        Principal me = auth.require(ctx);
        DmcaNotice n = find(ctx);
        if (!me.isAdmin() && (n.uploaderId() == null || n.uploaderId() != me.id())) {
            throw ApiException.forbidden("Only the uploader of the disabled recording (or an administrator on their behalf) files its counter-notice.");
        }
        CounterRequest req = Json.body(ctx, CounterRequest.class);
        Validator v = new Validator();
        text(v, "name", req.name(), 200);
        text(v, "address", req.address(), 1000);
        text(v, "statement", req.statement(), 4000);
        text(v, "signature", req.signature(), 200);
        v.check(Boolean.TRUE.equals(req.goodFaith()), "goodFaith", "must be true: the statement under penalty of perjury that the material was removed by mistake or misidentification (512(g)(3)(C))");
        v.check(Boolean.TRUE.equals(req.consentToJurisdiction()), "consentToJurisdiction", "must be true: a counter-notice consents to the jurisdiction of the court (512(g)(3)(D))");
        v.throwIfInvalid();
        Instant restoreAfter = BusinessDays.after(clock.instant(), BusinessDays.DMCA_RESTORE_DAYS);
        DmcaNotice done = db.safety().dmca().counterNotice(n.id(), new DmcaRepository.Counter(req.name().strip(),
                        req.address().strip(), req.statement().strip(), req.signature().strip()), me.id(), restoreAfter)
                .orElseThrow(() -> new ApiException(409, "Conflict", "DMCA notice " + n.id() + " is " + n.state().replace('_', ' ')
                        + "; a counter-notice is taken only while the content is disabled and none was filed yet."));
        boolean claimantTold = mailer.notice(null, "dmca", done.claimantEmail(), "Counter-notice to your DMCA notice " + done.id(),
                "Hello " + done.claimantName() + ",\n\nthe uploader sent the counter-notice below to your notice about \""
                        + done.workDescription() + "\". Unless you tell us by " + restoreAfter + " that you have filed an action "
                        + "seeking a court order against them, the material is restored after that time.\n\n"
                        + "Name: " + done.counterName() + "\nAddress: " + done.counterAddress() + "\nStatement: "
                        + done.counterStatement() + "\nSignature: " + done.counterSignature() + "\n");
        ctx.json(Map.of("notice", done, "claimantNotified", claimantTold));
    }

    private void close(Context ctx, boolean restore) {
        Principal admin = auth.requireAdmin(ctx);
        DmcaNotice n = find(ctx);
        CloseRequest req = ctx.body().isBlank() ? new CloseRequest(null) : Json.body(ctx, CloseRequest.class);
        Validator v = new Validator();
        v.check(req.note() == null || req.note().length() <= 2000, "note", "must be at most 2000 characters");
        if (!restore) v.check(req.note() != null && !req.note().isBlank(), "note", "is required: say why it stays down (e.g. the claimant filed suit)");
        v.throwIfInvalid();
        if (restore && "counter_noticed".equals(n.state()) && clock.instant().isBefore(n.restoreAfter())) {
            throw new ApiException(409, "Conflict", "DMCA notice " + n.id() + " may be restored from " + n.restoreAfter()
                    + " (10 business days after the counter-notice), unless the claimant reports a suit first.");
        }
        DmcaNotice done = db.safety().dmca().close(n.id(), restore, admin.id(), req.note() == null ? null : req.note().strip())
                .orElseThrow(() -> new ApiException(409, "Conflict", "DMCA notice " + n.id() + " is " + n.state().replace('_', ' ')
                        + (restore ? "; only a counter-noticed one is restored." : "; it was closed already.")));
        if (restore) db.recordings().restore(done.recordingId());
        boolean told = done.uploaderId() != null && enforcer.tell(done.uploaderId(), "dmca",
                restore ? "Your recording was restored" : "Your recording stays disabled",
                "the DMCA notice " + done.id() + " about your recording is closed: "
                        + (restore ? "the recording is restored." : "the recording stays disabled.")
                        + (done.closingNote() == null ? "" : "\n\n" + done.closingNote()) + "\n");
        if (restore) mailer.notice(null, "dmca", done.claimantEmail(), "Material restored after counter-notice (notice " + done.id() + ")",
                "Hello " + done.claimantName() + ",\n\nno court action was reported within the waiting period, so the material "
                        + "named in your notice about \"" + done.workDescription() + "\" is restored.\n");
        ctx.json(Map.of("notice", done, "uploaderNotified", told));
    }

    private static boolean text(Validator v, String field, String value, int max) {
        return v.check(value != null && !value.isBlank() && value.length() <= max, field, "is required (1-" + max + " characters)");
    }
}
