package live.cascade.api.channels;

import com.fasterxml.jackson.annotation.JsonInclude;
import live.cascade.db.Channel;

import java.time.Instant;
import java.util.List;

/**
 * A channel as the API shows it. {@code streamKey} appears only in the owner's create response; {@code thumbnailUrl}
 * (a still of the live stream, refreshed every 30 s) only while the channel is live. {@code mature}: viewers pass the
 * age gate before playback.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelJson(long id, String slug, long ownerId, String title, String category, List<String> tags,
                          boolean live, int viewerCount, int followerCount, Boolean suspended, Instant createdAt,
                          String streamKey, String thumbnailUrl, String visibility, boolean mature) {
    public static ChannelJson of(Channel c) {
        return new ChannelJson(c.id(), c.slug(), c.ownerId(), c.title(), c.category(), c.tags(), c.live(),
                c.viewerCount(), c.followerCount(), c.suspended() ? Boolean.TRUE : null, c.createdAt(), null,
                c.live() ? "/hls/" + c.slug() + "/thumbnail.jpg" : null, c.visibility(), c.mature());
    }

    public ChannelJson withStreamKey(String key) {
        return new ChannelJson(id, slug, ownerId, title, category, tags, live, viewerCount, followerCount, suspended, createdAt, key, thumbnailUrl, visibility, mature);
    }
}
