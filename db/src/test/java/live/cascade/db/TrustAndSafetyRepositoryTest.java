package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrustAndSafetyRepositoryTest extends RepositoryTestBase {

    private List<String> auditActions() {
        return db.moderationLog().listSiteWide(null, 100).stream().map(a -> a.action().code()).toList();
    }

    @Test
    void aReportMovesThroughTriageAndEveryStepIsAudited() {
        User reporter = anyUser();
        User subject = anyUser();
        User admin = anyUser();
        Channel c = channel(subject, "reported");
        PlatformReport r = db.safety().reports().file(reporter.id(), "channel", c.id(), subject.id(), "spam", "buy now", null);
        assertThat(r.state()).isEqualTo("open");
        assertThat(db.safety().reports().list("open", null, null, 10)).extracting(PlatformReport::id).containsExactly(r.id());
        PlatformReport triaged = db.safety().reports().update(r.id(), admin.id(), "triaged", admin.id(), null, "looking").orElseThrow();
        assertThat(triaged.assigneeId()).isEqualTo(admin.id());
        assertThat(db.safety().reports().list(null, admin.id(), null, 10)).hasSize(1);
        assertThat(db.safety().reports().update(r.id(), admin.id(), null, 0L, "channel_suspended", "done").orElseThrow().assigneeId())
                .as("0 unassigns").isNull();
        assertThat(db.safety().reports().update(999_999, admin.id(), "triaged", null, null, null)).isEmpty();
        assertThat(auditActions()).containsExactly("platform_report_updated", "platform_report_updated", "platform_report_filed");
    }

    @Test
    void anEnforcementIsAppealedOnceAndAReversalMarksItReversed() {
        User target = anyUser();
        User admin = anyUser();
        Enforcement e = db.safety().appeals().enforce("user_suspended", target.id(), target.id(), null, admin.id(), "spam", "hash-1");
        assertThat(db.safety().appeals().enforcementByAppealToken("hash-1")).contains(e);
        assertThat(db.safety().appeals().enforcementsOf(target.id())).containsExactly(e);
        Appeal a = db.safety().appeals().file(e.id(), target.id(), "It was not spam.");
        assertThat(a.state()).isEqualTo("pending");
        assertThatThrownBy(() -> db.safety().appeals().file(e.id(), target.id(), "again"))
                .isInstanceOf(DuplicateException.class).extracting(x -> ((DuplicateException) x).field()).isEqualTo("enforcementId");
        Appeal decided = db.safety().appeals().decide(a.id(), admin.id(), true, "You are right.").orElseThrow();
        assertThat(decided.state()).isEqualTo("reversed");
        assertThat(db.safety().appeals().decide(a.id(), admin.id(), false, "twice")).as("decided once").isEmpty();
        assertThat(db.safety().appeals().enforcement(e.id()).orElseThrow().reversedAt()).isNotNull();
        assertThat(db.safety().appeals().appeals(null, "reversed", null, 10)).hasSize(1);
        assertThat(auditActions()).containsExactly("appeal_decided", "enforcement_reversed", "appeal_filed", "enforcement_taken");
    }

    @Test
    void aDmcaNoticeGoesFromDisabledThroughCounterNoticeToRestoredAndHoldsTheRecordingUntilThen() {
        User uploader = anyUser();
        User admin = anyUser();
        Channel c = channel(uploader, "uploads");
        Recording rec = db.recordings().create(new NewRecording(c.id(), null, null, "Cover song", Recording.READY, null, "mp4",
                "h264", "opus", 1280, 720, 1000, 100, "recordings/x/recording.mp4", null, null, now(), 1));
        DmcaNotice n = db.safety().dmca().record(new DmcaRepository.Notice(rec.id(), uploader.id(), "Label Inc.",
                "legal@label.example", "1 Main St", "Song X", "https://site/r/1", "/s/ J. Doe"), admin.id());
        assertThat(n.state()).isEqualTo("content_disabled");
        assertThat(db.safety().dmca().holds(rec.id())).isTrue();
        assertThat(db.safety().dmca().close(n.id(), true, admin.id(), null)).as("no restore before a counter-notice").isEmpty();
        DmcaNotice countered = db.safety().dmca().counterNotice(n.id(), new DmcaRepository.Counter("Up Loader", "2 Side St",
                "My own performance, licensed.", "/s/ U. L."), uploader.id(), now().plusSeconds(60)).orElseThrow();
        assertThat(countered.state()).isEqualTo("counter_noticed");
        assertThat(countered.restoreAfter()).isNotNull();
        assertThat(db.safety().dmca().counterNotice(n.id(), new DmcaRepository.Counter("a", "b", "c", "d"), uploader.id(), now()))
                .as("one counter-notice").isEmpty();
        DmcaNotice restored = db.safety().dmca().close(n.id(), true, admin.id(), "no suit reported").orElseThrow();
        assertThat(restored.state()).isEqualTo("restored");
        assertThat(db.safety().dmca().holds(rec.id())).isFalse();
        assertThat(db.safety().dmca().list(null, uploader.id(), null, 10)).extracting(DmcaNotice::id).containsExactly(n.id());
        assertThat(auditActions()).containsExactly("dmca_restored", "dmca_counter_notice", "dmca_notice_recorded");
    }

    @Test
    void legalTextsAreVersionedAndAcceptancesKept() {
        User admin = anyUser();
        User u = anyUser();
        assertThat(db.safety().legal().current("terms")).isEmpty();
        assertThat(db.safety().legal().publish("terms", "Be nice.", admin.id()).version()).isEqualTo(1);
        assertThat(db.safety().legal().publish("terms", "Be nicer.", admin.id()).version()).isEqualTo(2);
        assertThat(db.safety().legal().publish("privacy", "We keep little.", admin.id()).version()).isEqualTo(1);
        assertThat(db.safety().legal().current("terms").orElseThrow().body()).isEqualTo("Be nicer.");
        db.safety().legal().accept(u.id(), "terms", 2);
        db.safety().legal().accept(u.id(), "terms", 2);
        assertThat(db.safety().legal().acceptances(u.id())).extracting(LegalRepository.Acceptance::version).containsExactly(2);
    }

    @Test
    void unacceptedNamesTheCurrentVersionOfEachPublishedTextTheAccountHasNotAccepted() {
        User admin = anyUser();
        User u = anyUser();
        assertThat(db.safety().legal().unaccepted(u.id())).as("nothing published").isEmpty();
        db.safety().legal().publish("terms", "Be nice.", admin.id());
        assertThat(db.safety().legal().unaccepted(u.id())).containsExactly(java.util.Map.entry("terms", 1));
        db.safety().legal().accept(u.id(), "terms", 1);
        assertThat(db.safety().legal().unaccepted(u.id())).isEmpty();
        db.safety().legal().publish("terms", "Be nicer.", admin.id());
        db.safety().legal().publish("privacy", "We keep little.", admin.id());
        assertThat(db.safety().legal().unaccepted(u.id())).as("an older acceptance does not count")
                .containsExactly(java.util.Map.entry("privacy", 1), java.util.Map.entry("terms", 2));
        db.safety().legal().accept(u.id(), "terms", 2);
        db.safety().legal().accept(u.id(), "privacy", 1);
        assertThat(db.safety().legal().unaccepted(u.id())).isEmpty();
        assertThat(db.safety().legal().unaccepted(admin.id())).hasSize(2);
    }

    @Test
    void aChannelIsFlaggedMatureAndAUserKeepsABirthYear() {
        User u = anyUser();
        Channel c = channel(u, "adults");
        assertThat(c.mature()).isFalse();
        assertThat(db.channels().setMature(c.id(), true)).isTrue();
        assertThat(db.channels().findById(c.id()).orElseThrow().mature()).isTrue();
        assertThat(db.users().birthYear(u.id())).isEmpty();
        db.users().setBirthYear(u.id(), 1990);
        assertThat(db.users().birthYear(u.id())).contains(1990);
    }
}
