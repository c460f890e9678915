package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReportRepositoryTest extends RepositoryTestBase {

    @Test
    void aReportIsFiledListedByStatusAndResolvedOnce() {
        User viewer = user("viewer");
        User troll = user("troll");
        User mod = anyUser();
        Channel c = channel(anyUser(), "chan");
        ChatMessage m = db.chatMessages().post(c.id(), troll.id(), "spam spam");

        Report byMessage = db.reports().file(c.id(), viewer.id(), troll.id(), m.id(), "spam");
        Report byUser = db.reports().file(c.id(), viewer.id(), troll.id(), null, "rude name");
        assertThat(byMessage.status()).isEqualTo(Report.Status.OPEN);
        assertThat(byMessage.reporterName()).isEqualTo("viewer");
        assertThat(byMessage.targetName()).isEqualTo("troll");
        assertThat(byMessage.messageId()).isEqualTo(m.id());
        assertThat(byUser.messageId()).isNull();

        assertThat(db.reports().list(c.id(), Report.Status.OPEN, null, 10)).extracting(Report::id)
                .containsExactly(byUser.id(), byMessage.id());
        assertThat(db.reports().list(c.id(), Report.Status.OPEN, byUser.id(), 10)).extracting(Report::id)
                .containsExactly(byMessage.id());

        Report resolved = db.reports().resolve(c.id(), byMessage.id(), mod.id(), "deleted and timed out").orElseThrow();
        assertThat(resolved.status()).isEqualTo(Report.Status.RESOLVED);
        assertThat(resolved.resolvedBy()).isEqualTo(mod.id());
        assertThat(resolved.resolvedAt()).isNotNull();
        assertThat(resolved.resolution()).isEqualTo("deleted and timed out");
        assertThat(db.reports().resolve(c.id(), byMessage.id(), mod.id(), "again")).isEmpty();

        assertThat(db.reports().list(c.id(), Report.Status.OPEN, null, 10)).extracting(Report::id)
                .containsExactly(byUser.id());
        assertThat(db.reports().list(c.id(), Report.Status.RESOLVED, null, 10)).extracting(Report::id)
                .containsExactly(byMessage.id());
        assertThat(db.reports().list(c.id(), null, null, 10)).hasSize(2);

        List<ModerationAction> log = db.moderationLog().list(c.id(), null, 10);
        assertThat(log).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(ModerationActionType.REPORT_RESOLVED);
            assertThat(a.targetUserId()).isEqualTo(troll.id());
            assertThat(a.targetMessageId()).isEqualTo(m.id());
        });
    }

    @Test
    void aReportOfAnotherChannelIsNotFoundThroughThisOne() {
        User viewer = anyUser();
        Channel c = channel(anyUser(), "chan");
        Channel other = channel(anyUser(), "other");
        Report r = db.reports().file(other.id(), viewer.id(), viewer.id(), null, "x");
        assertThat(db.reports().find(c.id(), r.id())).isEmpty();
        assertThat(db.reports().find(other.id(), r.id())).contains(r);
        assertThat(db.reports().resolve(c.id(), r.id(), viewer.id(), null)).isEmpty();
    }
}
