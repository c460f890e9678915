package live.cascade.api.mail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.db.MailOutboxRepository;
import live.cascade.db.QueuedMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains the outbox on one thread: claims due mails, hands each to the transport, and records the outcome. A mail the
 * server did not take waits 5 s, then twice as long each time up to the configured maximum, and stays in the database
 * meanwhile, so neither an SMTP outage nor a restart loses it. The thread wakes when this node queues mail
 * ({@link #nudge()}) and otherwise every few seconds, for mail other nodes queued or whose wait is over.
 */
final class OutboxSender implements ReadinessComponent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofSeconds(2);
    /** A sender that dies mid-send leaves its claimed mails due again after this. */
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 20;
    /** Sent and refused mails are forgotten after this: they hold addresses and single-use links. */
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    private final MailOutboxRepository outbox;
    private final MailTransport transport;
    private final Clock clock;
    private final Duration maxBackoff;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastFailure;
    private volatile Counter sent;
    private volatile Counter failedAttempts;
    private Instant lastCleanup = Instant.EPOCH;

    OutboxSender(MailOutboxRepository outbox, MailTransport transport, Clock clock, Duration maxBackoff) {
        this.outbox = outbox;
        this.transport = transport;
        this.clock = clock;
        this.maxBackoff = maxBackoff;
        this.thread = Thread.ofPlatform().name("mail-outbox").daemon().unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    void bindMetrics(MeterRegistry registry) {
        sent = Counter.builder("cascade_mail_sent").description("Mails the SMTP server took").register(registry);
        failedAttempts = Counter.builder("cascade_mail_failed_attempts")
                .description("Attempts to send a mail that the SMTP server did not take (each is retried unless refused for good)")
                .register(registry);
        Gauge.builder("cascade_mail_outbox_pending", pending, AtomicLong::get)
                .description("Mails waiting in the outbox (all nodes)").register(registry);
    }

    /** Mail was queued: send it now rather than at the next poll. */
    void nudge() {
        wake.release();
    }

    private void loop() {
        boolean failing = false;
        while (running) {
            try {
                failing = drain(failing);
                cleanup();
            } catch (RuntimeException e) {
                // The database is down: the mail is safe in it; try again at the next poll.
                if (!failing) LOG.warn("mail outbox unreadable, retrying: {}", e.toString());
                failing = true;
                lastFailure = "outbox unreadable: " + e.getMessage();
            }
            try {
                if (wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return whether the last attempt failed (so a run of failures is logged once) */
    private boolean drain(boolean failing) {
        while (running) {
            List<QueuedMail> batch = outbox.claimDue(BATCH, LEASE);
            for (QueuedMail mail : batch) {
                if (!running) break;
                failing = attempt(mail, failing);
            }
            if (batch.size() < BATCH) break;
        }
        pending.set(outbox.pending());
        return failing;
    }

    private boolean attempt(QueuedMail mail, boolean failing) {
        SendResult result = transport.send(mail);
        switch (result) {
            case SendResult.Sent s -> {
                outbox.markSent(mail.id());
                if (sent != null) sent.increment();
                if (failing) LOG.info("mail is being sent again");
                lastFailure = null;
                return false;
            }
            case SendResult.Retry r -> {
                Instant next = clock.instant().plus(backoff(mail.attempts()));
                outbox.markRetry(mail.id(), next, r.reason());
                if (failedAttempts != null) failedAttempts.increment();
                if (!failing) LOG.warn("mail not sent, kept in the outbox and retried (next at {}): {}", next, r.reason());
                lastFailure = r.reason();
                return true;
            }
            case SendResult.Rejected r -> {
                outbox.markFailed(mail.id(), r.reason());
                if (failedAttempts != null) failedAttempts.increment();
                LOG.warn("{} mail {} refused for good, not retried: {}", mail.kind(), mail.id(), r.reason());
                return failing;
            }
        }
    }

    Duration backoff(int attemptsBefore) {
        Duration first = FIRST_BACKOFF.compareTo(maxBackoff) < 0 ? FIRST_BACKOFF : maxBackoff;
        Duration d = first.multipliedBy(1L << Math.min(attemptsBefore, 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private void cleanup() {
        Instant now = clock.instant();
        if (Duration.between(lastCleanup, now).compareTo(Duration.ofHours(1)) < 0) return;
        lastCleanup = now;
        outbox.deleteFinished(now.minus(KEEP_FINISHED));
    }

    @Override
    public String name() {
        return "mail";
    }

    @Override
    public Readiness check() {
        String failure = lastFailure;
        Map<String, Object> details = Map.of("pending", pending.get());
        if (failure != null) return new Readiness.Degraded("mail is not being sent (kept and retried): " + failure, details);
        return new Readiness.Ok("sending", details);
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
