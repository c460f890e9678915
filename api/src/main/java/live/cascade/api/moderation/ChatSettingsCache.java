package live.cascade.api.moderation;

import live.cascade.db.ChatSettings;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each channel's chat settings with their compiled {@link MessageFilter}, so a post neither reads the settings nor
 * compiles patterns. A change on any node invalidates the entry through the chat bus; the short lifetime bounds how
 * stale an entry can get when such an event was lost (the bus between nodes was down).
 */
public final class ChatSettingsCache {
    private final Database db;
    private final Clock clock;
    private final long ttlMillis;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    public record Entry(ChatSettings settings, MessageFilter filter, long loadedAt) {
    }

    public ChatSettingsCache(Database db, Clock clock, Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    public Entry get(long channelId) {
        Entry e = entries.get(channelId);
        long now = clock.millis();
        if (e != null && now - e.loadedAt < ttlMillis) return e;
        // One load per channel at a time: a crowd connecting at once costs one query, not one each.
        return entries.compute(channelId, (id, old) -> {
            if (old != null && now - old.loadedAt < ttlMillis) return old;
            ChatSettings s = db.chatSettings().get(id);
            return new Entry(s, MessageFilter.of(s), clock.millis());
        });
    }

    public void invalidate(long channelId) {
        entries.remove(channelId);
    }
}
