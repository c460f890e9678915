package live.cascade.signaling.session;

import java.util.Objects;

/** Which channel a session belongs to: its database id and its slug (for logs and router names). */
public record ChannelRef(long id, String slug) {
    public ChannelRef {
        Objects.requireNonNull(slug, "slug");
    }
}
