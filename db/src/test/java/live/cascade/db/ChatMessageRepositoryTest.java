package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChatMessageRepositoryTest extends RepositoryTestBase {

    @Test
    void postedMessagesComeBackNewestFirstWithTheirAuthorAndPageByBefore() {
        User alice = user("alice");
        User bob = user("bob");
        Channel c = channel(anyUser(), "chan");
        Channel other = channel(anyUser(), "other");

        ChatMessage m1 = db.chatMessages().post(c.id(), alice.id(), "first");
        ChatMessage m2 = db.chatMessages().post(c.id(), bob.id(), "second \uD83D\uDE00");
        ChatMessage m3 = db.chatMessages().post(c.id(), alice.id(), "third");
        db.chatMessages().post(other.id(), alice.id(), "elsewhere");

        assertThat(m2.username()).isEqualTo("bob");
        assertThat(m2.text()).isEqualTo("second \uD83D\uDE00");
        assertThat(m2.createdAt()).isNotNull();
        assertThat(m2.deleted()).isFalse();
        assertThat(db.chatMessages().history(c.id(), null, 10)).extracting(ChatMessage::id)
                .containsExactly(m3.id(), m2.id(), m1.id());
        assertThat(db.chatMessages().history(c.id(), null, 2)).extracting(ChatMessage::id)
                .containsExactly(m3.id(), m2.id());
        assertThat(db.chatMessages().history(c.id(), m2.id(), 10)).extracting(ChatMessage::id)
                .containsExactly(m1.id());
        assertThat(db.chatMessages().findById(m1.id())).contains(m1);
    }

    @Test
    void deletingHidesTheMessageFromHistoryAndLogsItsText() {
        User author = anyUser();
        User mod = anyUser();
        Channel c = channel(anyUser(), "chan");
        ChatMessage keep = db.chatMessages().post(c.id(), author.id(), "fine");
        ChatMessage bad = db.chatMessages().post(c.id(), author.id(), "rude words");

        assertThat(db.chatMessages().delete(c.id(), bad.id(), mod.id(), "rude")).hasValueSatisfying(
                m -> assertThat(m.text()).isEqualTo("rude words"));
        assertThat(db.chatMessages().delete(c.id(), bad.id(), mod.id(), "again")).isEmpty();

        assertThat(db.chatMessages().history(c.id(), null, 10)).extracting(ChatMessage::id).containsExactly(keep.id());
        ChatMessage stored = db.chatMessages().findById(bad.id()).orElseThrow();
        assertThat(stored.deleted()).isTrue();
        assertThat(stored.deletedBy()).isEqualTo(mod.id());

        List<ModerationAction> log = db.moderationLog().list(c.id(), null, 10);
        assertThat(log).hasSize(1);
        ModerationAction a = log.getFirst();
        assertThat(a.action()).isEqualTo(ModerationActionType.MESSAGE_DELETED);
        assertThat(a.actorId()).isEqualTo(mod.id());
        assertThat(a.targetUserId()).isEqualTo(author.id());
        assertThat(a.targetName()).isEqualTo(author.username());
        assertThat(a.targetMessageId()).isEqualTo(bad.id());
        assertThat(a.reason()).isEqualTo("rude");
        assertThat(a.detail()).isEqualTo("rude words");
    }

    @Test
    void aMessageOfAnotherChannelCannotBeDeletedThroughThisOne() {
        User author = anyUser();
        Channel c = channel(anyUser(), "chan");
        Channel other = channel(anyUser(), "other");
        ChatMessage m = db.chatMessages().post(other.id(), author.id(), "hi");

        assertThat(db.chatMessages().delete(c.id(), m.id(), author.id(), null)).isEmpty();
        assertThat(db.chatMessages().findById(m.id()).orElseThrow().deleted()).isFalse();
        assertThat(db.moderationLog().list(c.id(), null, 10)).isEmpty();
    }

    @Test
    void lastPostedAtIsPerUserAndChannel() {
        User u = anyUser();
        User other = anyUser();
        Channel c = channel(anyUser(), "chan");
        assertThat(db.chatMessages().lastPostedAt(c.id(), u.id())).isEmpty();
        db.chatMessages().post(c.id(), u.id(), "a");
        ChatMessage last = db.chatMessages().post(c.id(), u.id(), "b");
        db.chatMessages().post(c.id(), other.id(), "c");

        assertThat(db.chatMessages().lastPostedAt(c.id(), u.id())).contains(last.createdAt());
    }

    @Test
    void postingIntoAMissingChannelIsAReferenceError() {
        User u = anyUser();
        assertThatThrownBy(() -> db.chatMessages().post(9999, u.id(), "hi"))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("channelId"));
    }

    @Test
    void deletingTheChannelTakesItsMessagesAlong() {
        User u = anyUser();
        Channel c = channel(anyUser(), "chan");
        ChatMessage m = db.chatMessages().post(c.id(), u.id(), "hi");
        db.channels().delete(c.id());
        assertThat(db.chatMessages().findById(m.id())).isEmpty();
    }
}
