package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Moderators, bans and timeouts, and the log entries they leave. */
class ModerationRepositoryTest extends RepositoryTestBase {

    @Test
    void moderatorsAreAppointedOnceListedAndRemovedWithLogEntries() {
        User owner = anyUser();
        User mod = user("mod");
        Channel c = channel(owner, "chan");

        assertThat(db.moderators().add(c.id(), mod.id(), owner.id())).isTrue();
        assertThat(db.moderators().add(c.id(), mod.id(), owner.id())).isFalse();
        assertThat(db.moderators().isModerator(c.id(), mod.id())).isTrue();
        assertThat(db.moderators().isModerator(c.id(), owner.id())).isFalse();
        assertThat(db.moderators().list(c.id())).singleElement().satisfies(m -> {
            assertThat(m.userId()).isEqualTo(mod.id());
            assertThat(m.username()).isEqualTo("mod");
            assertThat(m.appointedBy()).isEqualTo(owner.id());
        });

        assertThat(db.moderators().remove(c.id(), mod.id(), owner.id())).isTrue();
        assertThat(db.moderators().remove(c.id(), mod.id(), owner.id())).isFalse();
        assertThat(db.moderators().isModerator(c.id(), mod.id())).isFalse();

        assertThat(db.moderationLog().list(c.id(), null, 10)).extracting(ModerationAction::action)
                .containsExactly(ModerationActionType.MODERATOR_REMOVED, ModerationActionType.MODERATOR_ADDED);
    }

    @Test
    void appointingAMissingUserIsAReferenceErrorAndLogsNothing() {
        User owner = anyUser();
        Channel c = channel(owner, "chan");
        assertThatThrownBy(() -> db.moderators().add(c.id(), 9999, owner.id()))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class, e -> assertThat(e.field()).isEqualTo("userId"));
        assertThat(db.moderationLog().list(c.id(), null, 10)).isEmpty();
    }

    @Test
    void aTimeoutEndsAndABanDoesNot() {
        User mod = anyUser();
        User troll = user("troll");
        Channel c = channel(anyUser(), "chan");

        Ban timeout = db.bans().ban(c.id(), troll.id(), mod.id(), "cool off", Duration.ofMinutes(10));
        assertThat(timeout.permanent()).isFalse();
        assertThat(timeout.username()).isEqualTo("troll");
        assertThat(timeout.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
        Instant later = timeout.expiresAt().plusSeconds(1);
        assertThat(db.bans().findActive(c.id(), troll.id(), now())).contains(timeout);
        assertThat(db.bans().findActive(c.id(), troll.id(), later)).isEmpty();
        assertThat(db.bans().listActive(c.id(), later)).isEmpty();

        // A ban replaces the timeout.
        Ban ban = db.bans().ban(c.id(), troll.id(), mod.id(), "spam", null);
        assertThat(ban.permanent()).isTrue();
        assertThat(ban.reason()).isEqualTo("spam");
        assertThat(db.bans().findActive(c.id(), troll.id(), later.plus(Duration.ofDays(365)))).contains(ban);
        assertThat(db.bans().listActive(c.id(), now())).containsExactly(ban);

        List<ModerationAction> log = db.moderationLog().list(c.id(), null, 10);
        assertThat(log).extracting(ModerationAction::action)
                .containsExactly(ModerationActionType.USER_BANNED, ModerationActionType.USER_TIMED_OUT);
        assertThat(log.get(1).detail()).isEqualTo("600 s");
        assertThat(log.get(1).reason()).isEqualTo("cool off");
        assertThat(log.get(0).targetName()).isEqualTo("troll");
    }

    @Test
    void liftingEndsTheBanOnceAndOnlyWhileInForce() {
        User mod = anyUser();
        User u = anyUser();
        Channel c = channel(anyUser(), "chan");
        assertThat(db.bans().lift(c.id(), u.id(), mod.id())).isFalse();
        db.bans().ban(c.id(), u.id(), mod.id(), null, null);

        assertThat(db.bans().lift(c.id(), u.id(), mod.id())).isTrue();
        assertThat(db.bans().lift(c.id(), u.id(), mod.id())).isFalse();
        assertThat(db.bans().findActive(c.id(), u.id(), now())).isEmpty();
        assertThat(db.moderationLog().list(c.id(), null, 10)).extracting(ModerationAction::action)
                .containsExactly(ModerationActionType.USER_UNBANNED, ModerationActionType.USER_BANNED);
    }

    @Test
    void housekeepingRemovesEndedTimeoutsOnly() {
        User mod = anyUser();
        User a = anyUser();
        User b = anyUser();
        Channel c = channel(anyUser(), "chan");
        Ban t = db.bans().ban(c.id(), a.id(), mod.id(), null, Duration.ofSeconds(30));
        db.bans().ban(c.id(), b.id(), mod.id(), null, null);

        assertThat(db.bans().deleteExpired(now())).isZero();
        assertThat(db.bans().deleteExpired(t.expiresAt())).isEqualTo(1);
        assertThat(db.bans().listActive(c.id(), now())).extracting(Ban::userId).containsExactly(b.id());
    }

    @Test
    void logPagesNewestFirstByBefore() {
        User mod = anyUser();
        Channel c = channel(anyUser(), "chan");
        for (int i = 0; i < 5; i++) {
            db.moderationLog().record(c.id(), mod.id(), ModerationActionType.SETTINGS_CHANGED, null, null, null, "n" + i);
        }
        List<ModerationAction> first = db.moderationLog().list(c.id(), null, 3);
        assertThat(first).extracting(ModerationAction::detail).containsExactly("n4", "n3", "n2");
        assertThat(db.moderationLog().list(c.id(), first.getLast().id(), 3)).extracting(ModerationAction::detail)
                .containsExactly("n1", "n0");
        assertThat(first.getFirst().actorName()).isEqualTo(mod.username());
    }
}
