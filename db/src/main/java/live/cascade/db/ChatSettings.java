package live.cascade.db;

import java.util.List;
import java.util.Objects;

/**
 * How a channel's chat is moderated. A channel that never saved settings has {@link #DEFAULTS}.
 *
 * @param slowModeSeconds  minimum gap between two messages of one user, 0 for none
 * @param blockedWords     words or phrases, as the moderators typed them
 * @param blockedPatterns  regular expressions, as the moderators typed them
 */
public record ChatSettings(int slowModeSeconds, boolean followersOnly, boolean blockLinks, int maxMessageLength,
                           List<String> blockedWords, List<String> blockedPatterns) {

    /** The largest message the schema stores; {@link #maxMessageLength} can only lower it. */
    public static final int MAX_MESSAGE_LENGTH = 2000;
    public static final int MAX_SLOW_MODE_SECONDS = 86_400;
    public static final int MAX_TERM_LENGTH = 200;

    public static final ChatSettings DEFAULTS = new ChatSettings(0, false, false, 500, List.of(), List.of());

    public ChatSettings {
        blockedWords = List.copyOf(Objects.requireNonNull(blockedWords, "blockedWords"));
        blockedPatterns = List.copyOf(Objects.requireNonNull(blockedPatterns, "blockedPatterns"));
        if (slowModeSeconds < 0 || slowModeSeconds > MAX_SLOW_MODE_SECONDS) {
            throw new IllegalArgumentException("slowModeSeconds must be 0-" + MAX_SLOW_MODE_SECONDS);
        }
        if (maxMessageLength < 1 || maxMessageLength > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be 1-" + MAX_MESSAGE_LENGTH);
        }
    }
}
