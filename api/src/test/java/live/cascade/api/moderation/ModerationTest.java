package live.cascade.api.moderation;

import live.cascade.api.auth.Principal;
import live.cascade.api.cluster.LocalNodeCommands;
import live.cascade.api.http.FieldError;
import live.cascade.api.ratelimit.LocalRateLimiter;
import live.cascade.db.Ban;
import live.cascade.db.Channel;
import live.cascade.db.ChatSettings;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.Report;
import live.cascade.db.Role;
import live.cascade.db.User;
import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The moderation rules without HTTP: each decision comes back as a value, and a refused one changes nothing. */
class ModerationTest {
    @TempDir
    static Path dir;
    static Database db;
    static Principal owner;
    static Principal mod;
    static Principal viewer;
    static User otherMod;
    static User admin;
    static int channels;

    /** Starts at the database's own time, which dates bans and their ends. */
    final ManualClock clock = new ManualClock(Instant.now());
    final List<String> announced = new ArrayList<>();
    Moderation moderation;
    Channel channel;

    /** One database and its people for the class (migrating H2 takes seconds); each test gets its own channel. */
    @BeforeAll
    static void openDatabase() {
        db = Database.open(DatabaseConfig.h2File(dir, 2));
        owner = principal(db.users().create("owner", "owner@example.org", "hash", Role.USER));
        mod = principal(db.users().create("mod", "mod@example.org", "hash", Role.USER));
        viewer = principal(db.users().create("viewer", "viewer@example.org", "hash", Role.USER));
        otherMod = db.users().create("othermod", "othermod@example.org", "hash", Role.USER);
        admin = db.users().create("admin", "admin@example.org", "hash", Role.ADMIN);
    }

    @AfterAll
    static void closeDatabase() {
        if (db != null) db.close();
    }

    @BeforeEach
    void setUp() {
        moderation = new Moderation(db, new Announcements(), new LocalRateLimiter(clock), new LocalNodeCommands(), clock);
        int n = ++channels;
        channel = db.channels().create(owner.id(), "room" + n, "Room", "Games", List.of(), "kh-room" + n, "ke-room" + n);
        db.moderators().add(channel.id(), mod.id(), owner.id());
        db.moderators().add(channel.id(), otherMod.id(), owner.id());
    }

    @Test
    void nobodyBansThemselvesTheOwnerOrAnAdministratorAndARefusalBansNoOne() {
        assertThat(moderation.ban(channel, mod, new Moderation.BanOrder(mod.id(), null, null)))
                .isEqualTo(new Outcome.Invalid<Ban>("userId", "is you; you can't ban or time out yourself"));
        assertThat(moderation.ban(channel, mod, new Moderation.BanOrder(owner.id(), null, null)))
                .isEqualTo(new Outcome.Forbidden<Ban>("The owner of a channel can't be banned from its chat."));
        assertThat(moderation.ban(channel, mod, new Moderation.BanOrder(admin.id(), 60L, "spam")))
                .isInstanceOf(Outcome.Forbidden.class);

        assertThat(moderation.activeBans(channel)).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void onlyTheOwnerBansAModeratorAndTheBanIsAnnounced() {
        assertThat(moderation.ban(channel, mod, new Moderation.BanOrder(otherMod.id(), 600L, " flooding ")))
                .isEqualTo(new Outcome.Forbidden<Ban>("Only the owner or an administrator can ban or time out a moderator."));

        Outcome<Ban> byOwner = moderation.ban(channel, owner, new Moderation.BanOrder(otherMod.id(), 600L, " flooding "));

        assertThat(byOwner).isInstanceOf(Outcome.Done.class);
        Ban ban = ((Outcome.Done<Ban>) byOwner).value();
        assertThat(ban.userId()).isEqualTo(otherMod.id());
        assertThat(ban.reason()).isEqualTo("flooding");
        assertThat(moderation.activeBans(channel)).extracting(Ban::userId).containsExactly(otherMod.id());
        assertThat(announced).containsExactly("banned " + otherMod.id());
    }

    @Test
    void everyInvalidSettingIsNamedAtOnceAndNothingIsSaved() {
        Outcome<ChatSettings> outcome = moderation.changeSettings(channel, owner,
                new Moderation.SettingsChange(-1, null, null, 0, List.of("ok", "  "), List.of("(unclosed")));

        assertThat(outcome).isInstanceOf(Outcome.Invalid.class);
        assertThat(((Outcome.Invalid<ChatSettings>) outcome).errors()).extracting(FieldError::field)
                .containsExactly("slowModeSeconds", "maxMessageLength", "blockedWords[1]", "blockedPatterns[0]");
        assertThat(db.chatSettings().get(channel.id()).slowModeSeconds()).isZero();
        assertThat(announced).isEmpty();
    }

    @Test
    void aViewerFilesTenReportsPerWindowAndIsThenToldWhenToTryAgain() {
        for (int i = 0; i < Moderation.REPORTS_PER_WINDOW; i++) {
            assertThat(moderation.report(channel, viewer, new Moderation.Complaint(null, otherMod.id(), "rude " + i)))
                    .isInstanceOf(Outcome.Done.class);
        }

        Outcome<Report> eleventh = moderation.report(channel, viewer, new Moderation.Complaint(null, otherMod.id(), "rude again"));

        assertThat(eleventh).isInstanceOf(Outcome.TooMany.class);
        assertThat(((Outcome.TooMany<Report>) eleventh).retryAfterSeconds()).isPositive();
    }

    @Test
    void aReportIsResolvedOnceAndAMissingOneIsNotFound() {
        Report filed = ((Outcome.Done<Report>) moderation.report(channel, viewer,
                new Moderation.Complaint(null, otherMod.id(), "rude"))).value();

        assertThat(moderation.resolve(channel, mod, filed.id(), "talked to them")).isInstanceOf(Outcome.Done.class);
        assertThat(moderation.resolve(channel, mod, filed.id(), null))
                .isEqualTo(new Outcome.Conflict<Report>("reportId", "Report " + filed.id() + " is already resolved."));
        assertThat(moderation.resolve(channel, mod, filed.id() + 1000, null)).isInstanceOf(Outcome.NotFound.class);
    }

    private static Principal principal(User u) {
        return new Principal(u, "token-" + u.id(), false);
    }

    /** What chat would be told. */
    final class Announcements implements ModerationEvents {
        @Override
        public void messageDeleted(long channelId, long messageId) {
            announced.add("deleted " + messageId);
        }

        @Override
        public void userBanned(Ban ban) {
            announced.add("banned " + ban.userId());
        }

        @Override
        public void userUnbanned(long channelId, long userId, String username) {
            announced.add("unbanned " + userId);
        }

        @Override
        public void settingsChanged(long channelId, ChatSettings settings) {
            announced.add("settings");
        }
    }
}
