package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import live.cascade.db.AccountTokenRepository.Purpose;
import org.junit.jupiter.api.Test;

class MailRepositoryTest extends RepositoryTestBase {

    @Test
    void aTokenIsUsedOnceForItsOwnPurposeAndNotAfterItExpired() {
        User u = anyUser();
        db.accountTokens().create(u.id(), Purpose.PASSWORD_RESET, "h1", now().plusSeconds(3600));
        db.accountTokens().create(u.id(), Purpose.VERIFY_EMAIL, "h2", now().minusSeconds(1));
        assertThat(db.accountTokens().consume("h1", Purpose.VERIFY_EMAIL)).as("other purpose").isEmpty();
        assertThat(db.accountTokens().peek("h1", Purpose.PASSWORD_RESET)).contains(u.id());
        assertThat(db.accountTokens().consume("h1", Purpose.PASSWORD_RESET)).contains(u.id());
        assertThat(db.accountTokens().consume("h1", Purpose.PASSWORD_RESET)).as("single use").isEmpty();
        assertThat(db.accountTokens().peek("h2", Purpose.VERIFY_EMAIL)).as("expired").isEmpty();
        assertThat(db.accountTokens().consume("h2", Purpose.VERIFY_EMAIL)).as("expired").isEmpty();
        db.accountTokens().create(u.id(), Purpose.VERIFY_EMAIL, "h3", now().plusSeconds(3600));
        assertThat(db.accountTokens().revokeAll(u.id(), Purpose.VERIFY_EMAIL)).as("h3 and the expired, unused h2").isEqualTo(2);
        assertThat(db.accountTokens().consume("h3", Purpose.VERIFY_EMAIL)).as("revoked").isEmpty();
    }

    @Test
    void anOutboxRowIsClaimedByOneSenderAndStaysUntilSentOrRefused() {
        User u = anyUser();
        db.mailOutbox().enqueueAll(List.of(
                new OutgoingMail(u.id(), "verify", "a@example.org", "s1", "b1", null),
                new OutgoingMail(null, "live", "b@example.org", "s2", "b2", "https://x/unsubscribe")));
        assertThat(db.mailOutbox().pending()).isEqualTo(2);
        List<QueuedMail> claimed = db.mailOutbox().claimDue(10, Duration.ofMinutes(2));
        assertThat(claimed).extracting(QueuedMail::subject).containsExactly("s1", "s2");
        assertThat(db.mailOutbox().claimDue(10, Duration.ofMinutes(2))).as("leased to the first sender").isEmpty();
        db.mailOutbox().markSent(claimed.get(0).id());
        db.mailOutbox().markRetry(claimed.get(1).id(), now().minusSeconds(1), "connection refused");
        assertThat(db.mailOutbox().pending()).isEqualTo(1);
        QueuedMail again = db.mailOutbox().claimDue(10, Duration.ofMinutes(2)).getFirst();
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.unsubscribeUrl()).isEqualTo("https://x/unsubscribe");
        db.mailOutbox().markFailed(again.id(), "550 no such user");
        assertThat(db.mailOutbox().pending()).isZero();
        assertThat(db.mailOutbox().deleteFinished(now().plusSeconds(1))).isEqualTo(2);
    }

    @Test
    void liveNoticesGoToVerifiedFollowersWhoOptedInAndOncePerInterval() {
        User owner = anyUser();
        User fan = anyUser();
        User unverified = anyUser();
        User optedOut = anyUser();
        Channel c = channel(owner, "c");
        for (User f : List.of(fan, unverified, optedOut)) db.follows().follow(f.id(), c.id());
        db.users().markEmailVerified(fan.id());
        db.users().markEmailVerified(optedOut.id());
        db.follows().setNotifyLive(optedOut.id(), c.id(), false);
        assertThat(db.follows().liveNoticeRecipients(c.id())).extracting(NoticeRecipient::userId).containsExactly(fan.id());
        db.users().setNotifyLive(fan.id(), false);
        assertThat(db.follows().liveNoticeRecipients(c.id())).isEmpty();

        assertThat(db.channels().claimLiveNotice(c.id(), Duration.ofHours(1))).isTrue();
        assertThat(db.channels().claimLiveNotice(c.id(), Duration.ofHours(1))).isFalse();
        assertThat(db.channels().claimLiveNotice(c.id(), Duration.ZERO)).isTrue();
    }
}
