package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.SignupTerms;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.mail.Mailer;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.db.Database;

import java.time.Clock;

/**
 * Trust and safety, built once per node: the report queue, appeals, DMCA, legal texts with the gate that holds writes
 * until the current ones are accepted, and the age gate of mature channels (the birth year, the proof WHEP and HLS ask).
 */
public final class SafetyModule {
    private final ReportQueueResource reports;
    private final AppealResource appeals;
    private final DmcaResource dmca;
    private final LegalResource legal;
    private final TermsGate terms;
    private final AgeGate age;

    public SafetyModule(Database db, Authenticator auth, NodeCommands commands, Mailer mailer, PlaybackTokens tokens, Clock clock) {
        Enforcer enforcer = new Enforcer(db, commands, mailer, clock);
        this.reports = new ReportQueueResource(db, auth, enforcer);
        this.appeals = new AppealResource(db, auth, enforcer);
        this.dmca = new DmcaResource(db, auth, enforcer, mailer, clock);
        this.legal = new LegalResource(db, auth, clock);
        this.terms = new TermsGate(db, auth);
        this.age = new AgeGate(db, auth, tokens, clock);
    }

    /** Registered before the resources they guard: Javalin runs before-handlers in the order they were added. */
    public void routes(JavalinConfig cfg) {
        terms.routes(cfg);
        age.routes(cfg);
        reports.routes(cfg);
        appeals.routes(cfg);
        dmca.routes(cfg);
        legal.routes(cfg);
    }

    /** What signup checks: the current Terms, once the operator published them. */
    public SignupTerms signupTerms() {
        return legal.signupTerms();
    }
}
