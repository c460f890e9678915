package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChatSettingsRepositoryTest extends RepositoryTestBase {

    @Test
    void aChannelWithoutSettingsHasTheDefaults() {
        Channel c = channel(anyUser(), "chan");
        assertThat(db.chatSettings().get(c.id())).isEqualTo(ChatSettings.DEFAULTS);
    }

    @Test
    void settingsAreReplacedWholeKeepTheirTermOrderAndAreLogged() {
        User owner = anyUser();
        Channel c = channel(owner, "chan");
        Channel other = channel(owner, "other");
        ChatSettings first = new ChatSettings(30, true, true, 200, List.of("zeta", "alpha", "b\u00e4d w\u00f6rd"),
                List.of("fr[e3]e\\s*money"));
        assertThat(db.chatSettings().put(c.id(), first, owner.id())).isEqualTo(first);
        assertThat(db.chatSettings().get(c.id())).isEqualTo(first);
        assertThat(db.chatSettings().get(other.id())).isEqualTo(ChatSettings.DEFAULTS);

        ChatSettings second = new ChatSettings(0, false, false, 2000, List.of("only"), List.of());
        db.chatSettings().put(c.id(), second, owner.id());
        assertThat(db.chatSettings().get(c.id())).isEqualTo(second);

        List<ModerationAction> log = db.moderationLog().list(c.id(), null, 10);
        assertThat(log).extracting(ModerationAction::action).containsOnly(ModerationActionType.SETTINGS_CHANGED);
        assertThat(log.getFirst().detail()).contains("maxMessageLength=2000").contains("blockedWords=1");
    }

    @Test
    void aTooLongTermUndoesTheWholeChange() {
        User owner = anyUser();
        Channel c = channel(owner, "chan");
        ChatSettings before = new ChatSettings(5, false, false, 100, List.of("keep"), List.of());
        db.chatSettings().put(c.id(), before, owner.id());

        assertThatThrownBy(() -> db.chatSettings().put(c.id(), new ChatSettings(10, true, true, 100,
                List.of("x".repeat(ChatSettings.MAX_TERM_LENGTH + 1)), List.of()), owner.id()))
                .isInstanceOf(DatabaseException.class);
        assertThat(db.chatSettings().get(c.id())).isEqualTo(before);
        assertThat(db.moderationLog().list(c.id(), null, 10)).hasSize(1);
    }

    @Test
    void valuesOutsideTheirRangeAreRefusedBeforeTheDatabase() {
        assertThatThrownBy(() -> new ChatSettings(-1, false, false, 100, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatSettings(0, false, false, ChatSettings.MAX_MESSAGE_LENGTH + 1, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
