package live.cascade.api.chat;

import live.cascade.db.ChatMessage;

import java.time.Duration;

/** The result of posting a message: stored, or refused for a reason the author can read. */
public sealed interface PostOutcome {
    record Posted(ChatMessage message) implements PostOutcome {
    }

    /** {@code retryAfter} is null when waiting does not help. */
    record Rejected(ChatError error, String message, Duration retryAfter) implements PostOutcome {
        public Rejected(ChatError error, String message) {
            this(error, message, null);
        }
    }
}
