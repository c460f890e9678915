package live.cascade.api.chat;

import live.cascade.api.auth.Principal;
import live.cascade.api.channels.ChannelLookup;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels by {@code {channel}} reference for the chat socket, kept a few seconds: when thousands of viewers
 * (re)connect at once, as after a node restart, the database sees one lookup per channel instead of one per socket.
 * Suspended channels are never served from here, so the owner/admin check of {@link ChannelLookup} always applies.
 */
final class ChannelCache {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Channel channel, long loadedAt) {
    }

    private final ChannelLookup lookup;
    private final Clock clock;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    ChannelCache(ChannelLookup lookup, Clock clock, Duration ttl) {
        this.lookup = lookup;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    /** As {@link ChannelLookup#find(String, Optional)}: 404 ApiException for an unknown (or hidden) channel. */
    Channel find(String ref, Optional<Principal> caller) {
        String key = ref.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Entry e = entries.get(key);
        if (e != null && now - e.loadedAt < ttlMillis) return e.channel;
        if (entries.size() > MAX_ENTRIES) sweep();
        try {
            // One load per key at a time: concurrent connects to one channel wait for it instead of repeating it.
            return entries.compute(key, (k, old) -> old != null && now - old.loadedAt < ttlMillis ? old
                    : new Entry(lookup.find(ref, Optional.empty()), clock.millis())).channel;
        } catch (ApiException hiddenOrMissing) {
            // Unknown, or suspended and so visible only to its owner and admins: decided per caller, never cached.
            return lookup.find(ref, caller);
        }
    }

    /** Forgets a channel at once (it was suspended), so the next connect looks it up again. */
    void forget(long channelId) {
        entries.values().removeIf(e -> e.channel.id() == channelId);
    }

    /** Drops expired entries (and with them deleted channels). */
    private void sweep() {
        long now = clock.millis();
        entries.values().removeIf(e -> now - e.loadedAt >= ttlMillis);
    }
}
