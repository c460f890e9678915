package live.cascade.db;

import static live.cascade.db.jooq.Tables.MAIL_OUTBOX;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import live.cascade.db.jooq.tables.records.MailOutboxRecord;
import org.jooq.DSLContext;

/**
 * The durable outbox of e-mail. A row is written in the request that causes the mail and stays until an SMTP server
 * took it ({@code sent_at}) or refused it for good ({@code failed_at}); a sender claims due rows by moving their
 * {@code next_attempt_at} forward, so a sender that dies mid-send leaves the row due again after the lease.
 */
public final class MailOutboxRepository {

    private final DSLContext dsl;
    private final Clock clock;

    MailOutboxRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public void enqueue(OutgoingMail mail) {
        enqueueAll(List.of(mail));
    }

    /** One statement for many mails (a channel's followers): all of them are queued, or none. */
    public void enqueueAll(List<OutgoingMail> mails) {
        if (mails.isEmpty()) return;
        var now = Times.toDb(clock.instant());
        SqlErrors.call(() -> dsl.transactionResult(tx -> {
            var insert = tx.dsl().insertInto(MAIL_OUTBOX, MAIL_OUTBOX.USER_ID, MAIL_OUTBOX.KIND, MAIL_OUTBOX.RECIPIENT,
                    MAIL_OUTBOX.SUBJECT, MAIL_OUTBOX.BODY, MAIL_OUTBOX.UNSUBSCRIBE_URL, MAIL_OUTBOX.CREATED_AT,
                    MAIL_OUTBOX.NEXT_ATTEMPT_AT, MAIL_OUTBOX.ATTEMPTS);
            for (OutgoingMail m : mails) {
                Objects.requireNonNull(m.recipient(), "recipient");
                insert = insert.values(m.userId(), m.kind(), m.recipient(), m.subject(), m.body(), m.unsubscribeUrl(), now, now, 0);
            }
            return insert.execute();
        }));
    }

    /**
     * Claims up to {@code limit} due mails for {@code lease}: each is this caller's until the lease ends, and due again
     * after it unless marked sent, retried or failed. A row another sender claimed first is skipped.
     */
    public List<QueuedMail> claimDue(int limit, Duration lease) {
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        List<MailOutboxRecord> due = SqlErrors.call(() -> dsl.selectFrom(MAIL_OUTBOX)
                .where(MAIL_OUTBOX.SENT_AT.isNull()).and(MAIL_OUTBOX.FAILED_AT.isNull())
                .and(MAIL_OUTBOX.NEXT_ATTEMPT_AT.le(Times.toDb(now)))
                .orderBy(MAIL_OUTBOX.NEXT_ATTEMPT_AT, MAIL_OUTBOX.ID)
                .limit(limit)
                .fetch());
        List<QueuedMail> claimed = new ArrayList<>();
        for (MailOutboxRecord r : due) {
            int changed = SqlErrors.call(() -> dsl.update(MAIL_OUTBOX).set(MAIL_OUTBOX.NEXT_ATTEMPT_AT, Times.toDb(until))
                    .where(MAIL_OUTBOX.ID.eq(r.getId())).and(MAIL_OUTBOX.NEXT_ATTEMPT_AT.eq(r.getNextAttemptAt()))
                    .and(MAIL_OUTBOX.SENT_AT.isNull()).and(MAIL_OUTBOX.FAILED_AT.isNull())
                    .execute());
            if (changed == 1) {
                claimed.add(new QueuedMail(r.getId(), r.getKind(), r.getRecipient(), r.getSubject(), r.getBody(),
                        r.getUnsubscribeUrl(), r.getAttempts(), until));
            }
        }
        return claimed;
    }

    public void markSent(long id) {
        SqlErrors.call(() -> dsl.update(MAIL_OUTBOX).set(MAIL_OUTBOX.SENT_AT, Times.toDb(clock.instant()))
                .set(MAIL_OUTBOX.ATTEMPTS, MAIL_OUTBOX.ATTEMPTS.plus(1)).set(MAIL_OUTBOX.LAST_ERROR, (String) null)
                .where(MAIL_OUTBOX.ID.eq(id)).execute());
    }

    /** A failed attempt that may succeed later (server down, greylisting, a 4xx): due again at {@code next}. */
    public void markRetry(long id, Instant next, String error) {
        SqlErrors.call(() -> dsl.update(MAIL_OUTBOX).set(MAIL_OUTBOX.NEXT_ATTEMPT_AT, Times.toDb(next))
                .set(MAIL_OUTBOX.ATTEMPTS, MAIL_OUTBOX.ATTEMPTS.plus(1)).set(MAIL_OUTBOX.LAST_ERROR, clip(error))
                .where(MAIL_OUTBOX.ID.eq(id)).execute());
    }

    /** The server refused the mail for good (a 5xx for its recipient): it is never tried again. */
    public void markFailed(long id, String error) {
        SqlErrors.call(() -> dsl.update(MAIL_OUTBOX).set(MAIL_OUTBOX.FAILED_AT, Times.toDb(clock.instant()))
                .set(MAIL_OUTBOX.ATTEMPTS, MAIL_OUTBOX.ATTEMPTS.plus(1)).set(MAIL_OUTBOX.LAST_ERROR, clip(error))
                .where(MAIL_OUTBOX.ID.eq(id)).execute());
    }

    /** Mails neither sent nor failed for good. */
    public long pending() {
        return SqlErrors.call(() -> (long) dsl.fetchCount(MAIL_OUTBOX, MAIL_OUTBOX.SENT_AT.isNull().and(MAIL_OUTBOX.FAILED_AT.isNull())));
    }

    /** Forgets sent and failed mails finished before {@code before}: they hold addresses and are of no further use. */
    public int deleteFinished(Instant before) {
        var t = Times.toDb(before);
        return SqlErrors.call(() -> dsl.deleteFrom(MAIL_OUTBOX)
                .where(MAIL_OUTBOX.SENT_AT.lt(t).or(MAIL_OUTBOX.FAILED_AT.lt(t))).execute());
    }

    private static String clip(String s) {
        if (s == null) return null;
        return s.length() <= 500 ? s : s.substring(0, 500);
    }
}
