package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginSessionRepositoryTest extends RepositoryTestBase {

    @Test
    void createdSessionIsValidUntilItExpires() {
        User u = anyUser();
        Instant now = now();
        LoginSession s = db.sessions().create(u.id(), "tok1", now.plus(Duration.ofHours(1)), "203.0.113.5", "UA/1");

        assertThat(s.userId()).isEqualTo(u.id());
        assertThat(s.expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
        AuthenticatedSession found = db.sessions().findValid("tok1", now).orElseThrow();
        assertThat(found.session()).isEqualTo(s);
        assertThat(found.user()).isEqualTo(u);
        assertThat(found.session().ip()).isEqualTo("203.0.113.5");
        assertThat(found.session().userAgent()).isEqualTo("UA/1");

        assertThat(db.sessions().findValid("tok1", now.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(db.sessions().findValid("tok1", now.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(db.sessions().findValid("other", now)).isEmpty();
    }

    @Test
    void deletesOneSession() {
        User u = anyUser();
        db.sessions().create(u.id(), "tok1", now().plusSeconds(60), null, null);

        assertThat(db.sessions().delete("tok1")).isTrue();
        assertThat(db.sessions().delete("tok1")).isFalse();
        assertThat(db.sessions().findValid("tok1", now())).isEmpty();
    }

    @Test
    void deletesAllSessionsOfOneUser() {
        User a = anyUser();
        User b = anyUser();
        db.sessions().create(a.id(), "a1", now().plusSeconds(60), null, null);
        db.sessions().create(a.id(), "a2", now().plusSeconds(60), null, null);
        db.sessions().create(b.id(), "b1", now().plusSeconds(60), null, null);

        assertThat(db.sessions().deleteAllForUser(a.id())).isEqualTo(2);
        assertThat(db.sessions().findValid("a1", now())).isEmpty();
        assertThat(db.sessions().findValid("b1", now())).isPresent();
    }

    @Test
    void deletesExpiredSessions() {
        User u = anyUser();
        Instant now = now();
        db.sessions().create(u.id(), "old", now.minusSeconds(10), null, null);
        db.sessions().create(u.id(), "edge", now, null, null);
        db.sessions().create(u.id(), "fresh", now.plusSeconds(10), null, null);

        assertThat(db.sessions().deleteExpired(now)).isEqualTo(2);
        assertThat(db.sessions().findValid("fresh", now)).isPresent();
    }

    @Test
    void sessionForMissingUserIsAReferenceError() {
        assertThatThrownBy(() -> db.sessions().create(424242, "tok", now().plusSeconds(60), null, null))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("userId"));
    }

    @Test
    void duplicateTokenHashIsReported() {
        User u = anyUser();
        db.sessions().create(u.id(), "tok", now().plusSeconds(60), null, null);

        assertThatThrownBy(() -> db.sessions().create(u.id(), "tok", now().plusSeconds(60), null, null))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("tokenHash"));
    }

    @Test
    void overlongUserAgentIsCutNotRejected() {
        User u = anyUser();
        LoginSession s = db.sessions().create(u.id(), "tok", now().plusSeconds(60), "1".repeat(100), "x".repeat(1000));

        assertThat(s.userAgent()).hasSize(256);
        assertThat(s.ip()).hasSize(64);
    }
}
