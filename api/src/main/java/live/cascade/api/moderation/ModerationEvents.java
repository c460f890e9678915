package live.cascade.api.moderation;

import live.cascade.db.Ban;
import live.cascade.db.ChatSettings;

/** What moderation tells the chat, so every socket of the channel on every node hears of it. */
public interface ModerationEvents {
    void messageDeleted(long channelId, long messageId);

    /** A timeout or a ban (see {@link Ban#permanent()}). */
    void userBanned(Ban ban);

    void userUnbanned(long channelId, long userId, String username);

    void settingsChanged(long channelId, ChatSettings settings);
}
