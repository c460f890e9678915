package live.cascade.db;

import java.time.Instant;
import java.util.List;

/**
 * A channel as listings and pages show it.
 *
 * @param tags          lower-case, distinct, sorted alphabetically
 * @param streamKeyHash hash used to find the channel from a WHIP bearer token
 * @param streamKeyEnc  the stream key encrypted for showing it to its owner again
 * @param suspended     the channel itself is suspended (its owner's suspension is a separate flag on {@link User})
 * @param live          the channel has a stream session that has not ended
 * @param viewerCount   that session's current audience, 0 when not live
 * @param mature        the owner flagged it for adults: viewers pass an age gate before playback
 */
public record Channel(long id, long ownerId, String slug, String title, String category, List<String> tags,
                      String streamKeyHash, String streamKeyEnc, boolean suspended, Instant createdAt,
                      Instant updatedAt, boolean live, int viewerCount, int followerCount, String visibility,
                      boolean mature) {

    public Channel {
        tags = List.copyOf(tags);
    }

    @Override
    public String toString() {
        return "Channel[id=" + id + ", ownerId=" + ownerId + ", slug=" + slug + ", title=" + title + ", category="
                + category + ", tags=" + tags + ", suspended=" + suspended + ", live=" + live + ", viewerCount="
                + viewerCount + ", followerCount=" + followerCount + "]";
    }
}
