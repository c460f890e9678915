package live.cascade.api.moderation;

import live.cascade.db.Ban;
import live.cascade.db.ChatSettings;
import live.cascade.db.Report;

/** What moderation tells the chat, so every socket of the channel on every node hears of it. */
public interface ModerationEvents {
    void messageDeleted(long channelId, long messageId);

    /** A timeout or a ban (see {@link Ban#permanent()}). */
    void userBanned(Ban ban);

    void userUnbanned(long channelId, long userId, String username);

    void settingsChanged(long channelId, ChatSettings settings);

    /** A viewer filed a report (webhooks' report.created); the chat itself does not announce it. */
    default void reportFiled(Report report) {
    }
}
