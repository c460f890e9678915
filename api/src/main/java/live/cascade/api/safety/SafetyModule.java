package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.SignupTerms;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.mail.Mailer;
import live.cascade.db.Database;

import java.time.Clock;

/** Trust and safety, built once per node: the report queue, appeals, DMCA, legal texts and the age gate's birth year. */
public final class SafetyModule {
    private final ReportQueueResource reports;
    private final AppealResource appeals;
    private final DmcaResource dmca;
    private final LegalResource legal;

    public SafetyModule(Database db, Authenticator auth, NodeCommands commands, Mailer mailer, Clock clock) {
        Enforcer enforcer = new Enforcer(db, commands, mailer, clock);
        this.reports = new ReportQueueResource(db, auth, enforcer);
        this.appeals = new AppealResource(db, auth, enforcer);
        this.dmca = new DmcaResource(db, auth, enforcer, mailer, clock);
        this.legal = new LegalResource(db, auth, clock);
    }

    public void routes(JavalinConfig cfg) {
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
