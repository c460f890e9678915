package live.cascade.api.mail;

import live.cascade.api.http.ApiException;
import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.db.Database;
import live.cascade.db.OutgoingMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the mail flows use: whether mail is on, queueing into the outbox (and waking the sender), links back to this
 * site, and a background thread for work a request must not wait for (or whose duration must not tell anything).
 */
public final class Mailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    private final Database db;
    private final OutboxSender sender;
    private final Supplier<String> baseUrl;
    private final ExecutorService background = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mail-work").factory());

    Mailer(Database db, OutboxSender sender, Supplier<String> baseUrl) {
        this.db = db;
        this.sender = sender;
        this.baseUrl = baseUrl;
    }

    public boolean enabled() {
        return sender != null;
    }

    /** 503 naming the flow when mail is off, so a client is told rather than left waiting for a mail. */
    public void require(String flow) {
        if (!enabled()) {
            throw new ApiException(503, "Service Unavailable", "E-mail is not set up on this node (--smtp-host), so " + flow
                    + " is not available; ask the administrators of this site.");
        }
    }

    void queue(OutgoingMail mail) {
        queueAll(List.of(mail));
    }

    void queueAll(List<OutgoingMail> mails) {
        if (!enabled() || mails.isEmpty()) return;
        db.mailOutbox().enqueueAll(mails);
        sender.nudge();
    }

    /**
     * Queues a notice to one account (trust and safety: an action taken, an appeal decided, a DMCA step) through the
     * durable outbox; false when mail is off, so the caller can say the person was not told.
     */
    public boolean notice(Long userId, String kind, String to, String subject, String body) {
        if (!enabled() || to == null) return false;
        queue(new OutgoingMail(userId, kind, to, subject, body, null));
        return true;
    }

    /** An absolute URL on this site for a path such as {@code /reset-password?token=…}. */
    public String link(String pathAndQuery) {
        return baseUrl.get() + pathAndQuery;
    }

    void background(String what, Runnable work) {
        background.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", what, e);
            }
        });
    }

    ReadinessComponent readiness() {
        if (sender != null) return sender;
        return new ReadinessComponent() {
            @Override
            public String name() {
                return "mail";
            }

            @Override
            public Readiness check() {
                return new Readiness.Ok("off (--smtp-host not set)", Map.of());
            }
        };
    }

    @Override
    public void close() {
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender != null) sender.close();
    }
}
