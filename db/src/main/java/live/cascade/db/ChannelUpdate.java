package live.cascade.db;

import java.util.List;

/**
 * A partial change to a channel: a null component stays as it is. {@code tags} replaces the whole tag set (an
 * empty list removes all tags).
 */
public record ChannelUpdate(String title, String category, List<String> tags) {

    public ChannelUpdate {
        tags = tags == null ? null : List.copyOf(tags);
    }

    public static ChannelUpdate title(String title) {
        return new ChannelUpdate(title, null, null);
    }

    public static ChannelUpdate category(String category) {
        return new ChannelUpdate(null, category, null);
    }

    public static ChannelUpdate tags(List<String> tags) {
        return new ChannelUpdate(null, null, tags);
    }
}
