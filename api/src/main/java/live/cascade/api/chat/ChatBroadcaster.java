package live.cascade.api.chat;

import live.cascade.api.moderation.ModerationEvents;
import live.cascade.db.Ban;
import live.cascade.db.ChatSettings;
import live.cascade.db.Report;

import java.time.Duration;
import java.util.function.Consumer;

/** Turns moderation changes into chat frames on the bus, and hands filed reports on (webhooks). */
public final class ChatBroadcaster implements ModerationEvents {
    private final ChatBus bus;
    private final Consumer<Report> reportFiled;

    public ChatBroadcaster(ChatBus bus, Consumer<Report> reportFiled) {
        this.bus = bus;
        this.reportFiled = reportFiled;
    }

    @Override
    public void reportFiled(Report report) {
        reportFiled.accept(report);
    }

    @Override
    public void messageDeleted(long channelId, long messageId) {
        bus.publish(new ChatEvent(channelId, new ServerFrame.MessageDeleted(channelId, messageId)));
    }

    @Override
    public void userBanned(Ban ban) {
        ServerFrame.UserRef user = new ServerFrame.UserRef(ban.userId(), ban.username());
        ServerFrame frame = ban.permanent()
                ? new ServerFrame.UserBanned(ban.channelId(), user)
                : new ServerFrame.UserTimedOut(ban.channelId(), user, ban.expiresAt(),
                        Duration.between(ban.createdAt(), ban.expiresAt()).toSeconds());
        bus.publish(new ChatEvent(ban.channelId(), frame));
    }

    @Override
    public void userUnbanned(long channelId, long userId, String username) {
        bus.publish(new ChatEvent(channelId, new ServerFrame.UserUnbanned(channelId, new ServerFrame.UserRef(userId, username))));
    }

    @Override
    public void settingsChanged(long channelId, ChatSettings settings) {
        bus.publish(new ChatEvent(channelId, new ServerFrame.SettingsChanged(channelId, ServerFrame.PublicSettings.of(settings))));
    }
}
