package live.cascade.api.chat;

import java.util.Objects;

/** Something that happened in one channel's chat, for every socket of that channel on every node. */
public record ChatEvent(long channelId, ServerFrame frame) {
    public ChatEvent {
        Objects.requireNonNull(frame, "frame");
    }
}
