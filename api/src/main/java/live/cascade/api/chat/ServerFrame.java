package live.cascade.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import live.cascade.db.ChatMessage;
import live.cascade.db.ChatSettings;

import java.time.Instant;

/**
 * Every JSON frame the server sends on a chat socket; {@code type} names the kind (docs/chat.md). The same JSON
 * crosses the Redis bus between nodes, so a frame is one value from the moment it happens to every socket.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerFrame.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = ServerFrame.Message.class, name = "message"),
        @JsonSubTypes.Type(value = ServerFrame.Sent.class, name = "sent"),
        @JsonSubTypes.Type(value = ServerFrame.MessageDeleted.class, name = "message_deleted"),
        @JsonSubTypes.Type(value = ServerFrame.UserTimedOut.class, name = "user_timed_out"),
        @JsonSubTypes.Type(value = ServerFrame.UserBanned.class, name = "user_banned"),
        @JsonSubTypes.Type(value = ServerFrame.UserUnbanned.class, name = "user_unbanned"),
        @JsonSubTypes.Type(value = ServerFrame.SettingsChanged.class, name = "settings_changed"),
        @JsonSubTypes.Type(value = ServerFrame.Presence.class, name = "presence"),
        @JsonSubTypes.Type(value = ServerFrame.Resync.class, name = "resync"),
        @JsonSubTypes.Type(value = ServerFrame.RightsChanged.class, name = "rights_changed"),
        @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error")})
public sealed interface ServerFrame {

    record UserRef(long id, String username) {
    }

    /** First frame on every socket: who the server thinks you are and what you may do. */
    record Hello(ChannelRef channel, UserRef user, boolean canPost, boolean canModerate, PublicSettings settings,
                 int presence) implements ServerFrame {
    }

    record ChannelRef(long id, String slug) {
    }

    /** A posted message; the REST history lists the same objects. */
    record Message(long id, long channelId, UserRef user, String text, Instant sentAt) implements ServerFrame {
        public static Message of(ChatMessage m) {
            return new Message(m.id(), m.channelId(), new UserRef(m.userId(), m.username()), m.text(), m.createdAt());
        }
    }

    /** To the sender only: the message with your {@code ref} was stored as {@code id}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Sent(String ref, long id) implements ServerFrame {
    }

    record MessageDeleted(long channelId, long messageId) implements ServerFrame {
    }

    record UserTimedOut(long channelId, UserRef user, Instant until, long durationSeconds) implements ServerFrame {
    }

    record UserBanned(long channelId, UserRef user) implements ServerFrame {
    }

    record UserUnbanned(long channelId, UserRef user) implements ServerFrame {
    }

    record SettingsChanged(long channelId, PublicSettings settings) implements ServerFrame {
    }

    /** Sockets connected to the channel over all nodes; sent when the count changed, at most once a second. */
    record Presence(long channelId, int count) implements ServerFrame {
    }

    /** Frames may have been missed (the bus between nodes was down): re-read the history. */
    record Resync(long channelId, String reason) implements ServerFrame {
    }

    /** To one user's sockets: what the hello said they may do has changed (a moderator was dismissed). */
    record RightsChanged(long channelId, boolean canModerate) implements ServerFrame {
    }

    record Pong(String ref) implements ServerFrame {
    }

    /**
     * Something you sent was refused or broken. {@code fatal} means the server closes the socket next.
     *
     * @param retryAfterMs when waiting helps (rate limit, slow mode, timeout), how long
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String code, String message, Long retryAfterMs, String ref, Boolean fatal) implements ServerFrame {
        public static Error of(ChatError code, String message) {
            return new Error(code.code(), message, null, null, null);
        }
    }

    /** The part of the chat settings every viewer sees; the blocked terms stay with the moderators. */
    record PublicSettings(int slowModeSeconds, boolean followersOnly, boolean blockLinks, int maxMessageLength) {
        public static PublicSettings of(ChatSettings s) {
            return new PublicSettings(s.slowModeSeconds(), s.followersOnly(), s.blockLinks(), s.maxMessageLength());
        }
    }
}
