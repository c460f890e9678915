package live.cascade.api.mail;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.PasswordHashing;
import live.cascade.api.auth.PasswordPolicy;
import live.cascade.api.auth.SignupListener;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.config.MailConfig;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Database;
import live.cascade.signaling.session.BroadcastListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** The e-mail feature, built once per node: outbox sender, account mails, live notices and their routes. */
public final class MailModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailModule.class);

    private final Mailer mailer;
    private final AccountEmailResource accounts;
    private final NotificationResource notifications;
    private final LiveNotifier liveNotifier;

    public MailModule(MailConfig config, Database db, Authenticator auth, PasswordHashing hashing, NodeCommands commands,
                      RateLimiter limiter, String nodeSecret, Supplier<String> baseUrl, Clock clock, MeterRegistry metrics) {
        OutboxSender sender = null;
        if (config.enabled()) {
            sender = new OutboxSender(db.mailOutbox(), new SmtpMailTransport(config, clock), clock, config.retryMaxBackoff());
            sender.bindMetrics(metrics);
            LOG.info("e-mail on: {}:{} ({}), from {}", config.smtpHost().get(), config.smtpPort(), config.tls(), config.from().get());
        } else {
            LOG.info("e-mail off (--smtp-host not set): no verification, password reset or live notices");
        }
        this.mailer = new Mailer(db, sender, baseUrl);
        UnsubscribeTokens tokens = new UnsubscribeTokens(nodeSecret);
        this.accounts = new AccountEmailResource(db, auth, hashing, new PasswordPolicy(), commands, limiter, mailer,
                new AccountMails(db, mailer, clock));
        this.notifications = new NotificationResource(db, auth, mailer, tokens);
        this.liveNotifier = new LiveNotifier(db, mailer, tokens, limiter, config.liveNoticeInterval());
        if (sender != null) sender.start();
    }

    public void routes(JavalinConfig cfg) {
        accounts.routes(cfg);
        notifications.routes(cfg);
    }

    /** Sends the verification link of each new account (when mail is on). */
    public SignupListener signupListener() {
        return accounts;
    }

    /** Mails followers when a channel goes live; empty when mail is off. */
    public Optional<BroadcastListener> liveNotices() {
        return mailer.enabled() ? Optional.of(liveNotifier) : Optional.empty();
    }

    /** Notices to single accounts, for features outside this package (trust and safety). */
    public Mailer mailer() {
        return mailer;
    }

    public ReadinessComponent readiness() {
        return mailer.readiness();
    }

    public boolean enabled() {
        return mailer.enabled();
    }

    @Override
    public void close() {
        mailer.close();
    }
}
