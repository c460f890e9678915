package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class UserRepositoryTest extends RepositoryTestBase {

    @Test
    void createsAndFindsUser() {
        User created = db.users().create("Alice", "Alice@Example.org", "h1", Role.USER);

        assertThat(created.id()).isPositive();
        assertThat(created.username()).isEqualTo("Alice");
        assertThat(created.email()).isEqualTo("Alice@Example.org");
        assertThat(created.passwordHash()).isEqualTo("h1");
        assertThat(created.suspended()).isFalse();
        assertThat(created.createdAt()).isNotNull();
        assertThat(db.users().findById(created.id())).contains(created);
        assertThat(db.users().findById(created.id() + 1000)).isEmpty();
    }

    @Test
    void findsByUsernameOrEmailIgnoringCase() {
        User alice = db.users().create("Alice", "Alice@Example.org", "h1", Role.USER);

        assertThat(db.users().findByLogin("alice")).contains(alice);
        assertThat(db.users().findByLogin("ALICE")).contains(alice);
        assertThat(db.users().findByLogin("alice@example.ORG")).contains(alice);
        assertThat(db.users().findByLogin(" alice ")).contains(alice);
        assertThat(db.users().findByLogin("bob")).isEmpty();
    }

    @Test
    void duplicateUsernameIgnoringCaseIsReportedWithTheField() {
        db.users().create("Alice", "a@example.org", "h", Role.USER);

        assertThatThrownBy(() -> db.users().create("aLICE", "other@example.org", "h", Role.USER))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.field()).isEqualTo("username");
                    assertThat(e.constraint()).isEqualTo("uq_users_username");
                });
        assertThat(db.users().count()).isEqualTo(1);
    }

    @Test
    void duplicateEmailIgnoringCaseIsReportedWithTheField() {
        db.users().create("alice", "Same@Example.org", "h", Role.USER);

        assertThatThrownBy(() -> db.users().create("bob", "same@EXAMPLE.org", "h", Role.USER))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("email"));
    }

    @Test
    void userDataThatLooksLikeAConstraintNameDoesNotConfuseTheMapping() {
        db.users().create("uq_users_email", "x@example.org", "h", Role.USER);

        assertThatThrownBy(() -> db.users().create("UQ_USERS_EMAIL", "y@example.org", "h", Role.USER))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("username"));
    }

    @Test
    void firstAccountIsAdminAndLaterOnesGetTheRequestedRole() {
        User first = db.users().create("first", "first@example.org", "h", Role.USER);
        User second = db.users().create("second", "second@example.org", "h", Role.USER);
        User third = db.users().create("third", "third@example.org", "h", Role.ADMIN);

        assertThat(first.role()).isEqualTo(Role.ADMIN);
        assertThat(second.role()).isEqualTo(Role.USER);
        assertThat(third.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void failedFirstSignUpDoesNotUseUpTheAdminSlot() {
        assertThatThrownBy(() -> db.users().create("x".repeat(40), "long@example.org", "h", Role.USER))
                .isInstanceOf(DatabaseException.class);

        assertThat(db.users().create("real", "real@example.org", "h", Role.USER).role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void concurrentFirstSignUpsMakeExactlyOneAdmin() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<User>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "racer" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return db.users().create(name, name + "@example.org", "h", Role.USER);
                }));
            }
            go.countDown();
            List<User> created = new ArrayList<>();
            for (Future<User> f : results) {
                created.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(created).filteredOn(User::isAdmin).hasSize(1);
            assertThat(db.users().count()).isEqualTo(threads);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listsByIdAfterCursor() {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(anyUser());
        }

        List<User> page1 = db.users().list(2, 0);
        List<User> page2 = db.users().list(2, page1.getLast().id());
        List<User> page3 = db.users().list(2, page2.getLast().id());

        assertThat(page1).containsExactly(users.get(0), users.get(1));
        assertThat(page2).containsExactly(users.get(2), users.get(3));
        assertThat(page3).containsExactly(users.get(4));
        assertThat(db.users().list(2, users.get(4).id())).isEmpty();
    }

    @Test
    void updatesPasswordSuspensionAndRole() {
        User u = anyUser();

        assertThat(db.users().updatePassword(u.id(), "new-hash")).isTrue();
        assertThat(db.users().setSuspended(u.id(), true)).isTrue();
        assertThat(db.users().setRole(u.id(), Role.USER)).isTrue();

        User reread = db.users().findById(u.id()).orElseThrow();
        assertThat(reread.passwordHash()).isEqualTo("new-hash");
        assertThat(reread.suspended()).isTrue();
        assertThat(reread.role()).isEqualTo(Role.USER);

        assertThat(db.users().updatePassword(9999, "x")).isFalse();
        assertThat(db.users().setSuspended(9999, true)).isFalse();
    }

    @Test
    void countsAccounts() {
        assertThat(db.users().count()).isZero();
        anyUser();
        anyUser();
        assertThat(db.users().count()).isEqualTo(2);
    }

    @Test
    void toStringHidesThePasswordHash() {
        User u = db.users().create("alice", "a@example.org", "secret-hash", Role.USER);
        assertThat(u.toString()).doesNotContain("secret-hash");
    }

    @Test
    void roleChangesAreLoggedSiteWideAndNeverLeaveNoActiveAdmin() {
        User admin = db.users().create("root_admin", "ra@example.org", "h", Role.USER); // first: admin
        User bob = db.users().create("bob", "bob@example.org", "h", Role.USER);

        assertThat(db.users().changeRole(admin.id(), Role.USER, admin.id())).isInstanceOf(RoleChange.LastAdmin.class);
        assertThat(db.users().changeRole(bob.id(), Role.USER, admin.id())).isInstanceOf(RoleChange.Unchanged.class);
        assertThat(db.users().changeRole(999_999, Role.ADMIN, admin.id())).isInstanceOf(RoleChange.NoSuchUser.class);
        assertThat(db.moderationLog().listSiteWide(null, 10)).as("refusals write nothing").isEmpty();

        RoleChange made = db.users().changeRole(bob.id(), Role.ADMIN, admin.id());
        assertThat(made).isInstanceOf(RoleChange.Changed.class);
        assertThat(((RoleChange.Changed) made).user().role()).isEqualTo(Role.ADMIN);
        db.users().setSuspended(bob.id(), true);
        assertThat(db.users().changeRole(admin.id(), Role.USER, admin.id())).as("a suspended admin cannot act")
                .isInstanceOf(RoleChange.LastAdmin.class);

        List<ModerationAction> log = db.moderationLog().listSiteWide(null, 10);
        assertThat(log).hasSize(1);
        ModerationAction entry = log.getFirst();
        assertThat(entry.channelId()).isNull();
        assertThat(entry.action()).isEqualTo(ModerationActionType.ROLE_CHANGED);
        assertThat(entry.actorName()).isEqualTo("root_admin");
        assertThat(entry.targetName()).isEqualTo("bob");
        assertThat(entry.detail()).isEqualTo("user -> admin");
    }

    @Test
    void aBootstrapAdminReplacesFirstSignUpWins() {
        db.users().bootstrapAdmin("The_Boss");
        assertThat(db.users().create("early", "early@example.org", "h", Role.USER).role()).isEqualTo(Role.USER);
        assertThat(db.users().create("the_boss", "boss@example.org", "h", Role.USER).role()).isEqualTo(Role.ADMIN);
        assertThat(db.users().create("later", "later@example.org", "h", Role.USER).role()).isEqualTo(Role.USER);
    }
}
