package live.cascade.db;

import java.time.Instant;

/** A mail in the outbox that a sender has claimed until {@code leaseUntil}. */
public record QueuedMail(long id, String kind, String recipient, String subject, String body, String unsubscribeUrl,
                         int attempts, Instant leaseUntil) {
    @Override
    public String toString() {
        // Logged on failures: the body holds single-use links.
        return "QueuedMail[id=" + id + ", kind=" + kind + ", attempts=" + attempts + "]";
    }
}
