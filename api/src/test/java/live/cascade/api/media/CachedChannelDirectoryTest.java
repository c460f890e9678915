package live.cascade.api.media;

import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachedChannelDirectoryTest {
    /** A directory that counts lookups and whose answers the test changes. */
    static final class CountingDirectory implements ChannelDirectory {
        final Map<String, PublishTarget> channels = new HashMap<>();
        int slugLookups;
        int keyLookups;

        @Override public Optional<PublishTarget> byStreamKey(String streamKey) {
            keyLookups++;
            return Optional.ofNullable(channels.get(streamKey));
        }

        @Override public Optional<PublishTarget> bySlug(String slug) {
            slugLookups++;
            return Optional.ofNullable(channels.get(slug));
        }
    }

    static final class ManualClock extends Clock {
        long millis = 1_000_000;
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
    }

    @Test
    void repeatedWhepLookupsWithinTheTtlHitTheDatabaseOnce() {
        CountingDirectory db = new CountingDirectory();
        db.channels.put("alice", new PublishTarget(new ChannelRef(1, "alice"), false));
        ManualClock clock = new ManualClock();
        CachedChannelDirectory cached = new CachedChannelDirectory(db, clock, Duration.ofSeconds(1));

        for (int i = 0; i < 100; i++) assertEquals(1, cached.bySlug("alice").orElseThrow().channel().id());
        assertEquals(1, db.slugLookups);
    }

    @Test
    void aSuspensionReachesNewViewersOnceTheTtlHasPassed() {
        CountingDirectory db = new CountingDirectory();
        db.channels.put("alice", new PublishTarget(new ChannelRef(1, "alice"), false));
        ManualClock clock = new ManualClock();
        CachedChannelDirectory cached = new CachedChannelDirectory(db, clock, Duration.ofSeconds(1));
        assertEquals(false, cached.bySlug("alice").orElseThrow().suspended());

        db.channels.put("alice", new PublishTarget(new ChannelRef(1, "alice"), true));
        clock.millis += 999;
        assertEquals(false, cached.bySlug("alice").orElseThrow().suspended());
        clock.millis += 1;
        assertTrue(cached.bySlug("alice").orElseThrow().suspended());
        assertEquals(2, db.slugLookups);
    }

    @Test
    void unknownSlugsAreCachedButCannotGrowTheCacheWithoutBound() {
        CountingDirectory db = new CountingDirectory();
        ManualClock clock = new ManualClock();
        CachedChannelDirectory cached = new CachedChannelDirectory(db, clock, Duration.ofSeconds(1));
        for (int i = 0; i < CachedChannelDirectory.MAX_ENTRIES * 3; i++) assertTrue(cached.bySlug("nobody-" + i).isEmpty());
        assertTrue(cached.bySlug("nobody-" + (CachedChannelDirectory.MAX_ENTRIES * 3 - 1)).isEmpty());
        assertEquals(CachedChannelDirectory.MAX_ENTRIES * 3, db.slugLookups, "the last slug was still cached");
        assertTrue(cached.size() <= CachedChannelDirectory.MAX_ENTRIES);
    }

    @Test
    void streamKeyLookupsAreNeverCachedSoARotatedKeyStopsAtOnce() {
        CountingDirectory db = new CountingDirectory();
        db.channels.put("live_key", new PublishTarget(new ChannelRef(1, "alice"), false));
        CachedChannelDirectory cached = new CachedChannelDirectory(db, new ManualClock(), Duration.ofSeconds(1));
        assertTrue(cached.byStreamKey("live_key").isPresent());
        db.channels.remove("live_key");
        assertTrue(cached.byStreamKey("live_key").isEmpty());
        assertEquals(2, db.keyLookups);
    }
}
