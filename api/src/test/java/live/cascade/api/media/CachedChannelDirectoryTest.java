package live.cascade.api.media;

import live.cascade.sfu.testkit.ManualClock;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishTarget;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Runs background refreshes when the test says so. */
    static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        @Override public void execute(Runnable task) { queued.add(task); }
        void runAll() { while (!queued.isEmpty()) queued.poll().run(); }
    }

    static PublishTarget alice(boolean suspended) {
        return new PublishTarget(new ChannelRef(1, "alice"), suspended);
    }

    /** A directory that knows alice's channel, not suspended. */
    static CountingDirectory withAlice() {
        CountingDirectory db = new CountingDirectory();
        db.channels.put("alice", alice(false));
        return db;
    }

    /** Alice's channel behind a cache, with the clock and the background refreshes in the test's hands. */
    static final class Fixture {
        final CountingDirectory db = withAlice();
        final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        final ManualExecutor refresher = new ManualExecutor();
        final CachedChannelDirectory cached = cache(db, clock, refresher);

        boolean aliceSuspended() {
            return cached.bySlug("alice").orElseThrow().suspended();
        }
    }

    static CachedChannelDirectory cache(ChannelDirectory db, Clock clock, Executor refresher) {
        return new CachedChannelDirectory(db, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), refresher);
    }

    @Test
    void repeatedWhepLookupsWithinTheTtlHitTheDatabaseOnce() {
        CountingDirectory db = withAlice();
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        CachedChannelDirectory cached = cache(db, clock, new ManualExecutor());

        for (int i = 0; i < 100; i++) assertEquals(1, cached.bySlug("alice").orElseThrow().channel().id());
        assertEquals(1, db.slugLookups);
    }

    @Test
    void aSuspensionReachesNewViewersOnceTheTtlHasPassedAndTheBackgroundRefreshRan() {
        Fixture f = new Fixture();
        assertFalse(f.aliceSuspended());

        f.db.channels.put("alice", alice(true));
        f.clock.advanceMillis(999);
        assertFalse(f.aliceSuspended());
        assertTrue(f.refresher.queued.isEmpty(), "no refresh within the ttl");
        f.clock.advanceMillis(1);
        // The POST that finds the entry stale does not wait on the database; it starts one refresh.
        assertFalse(f.aliceSuspended());
        assertFalse(f.aliceSuspended());
        assertEquals(1, f.refresher.queued.size(), "one refresh, however many POSTs find the entry stale");
        assertEquals(1, f.db.slugLookups);
        f.refresher.runAll();
        assertTrue(f.aliceSuspended());
        assertEquals(2, f.db.slugLookups);
    }

    @Test
    void aStaleEntryIsLookedUpAtOnceWhenTheRefresherHasStopped() {
        CountingDirectory db = withAlice();
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        CachedChannelDirectory cached = cache(db, clock, task -> {
            throw new RejectedExecutionException("stopped");
        });
        cached.bySlug("alice");
        db.channels.put("alice", alice(true));
        clock.advanceMillis(2000);
        assertTrue(cached.bySlug("alice").orElseThrow().suspended());
        assertEquals(2, db.slugLookups);
    }

    @Test
    void anEntryNobodyAskedForWithinTheStaleLimitIsLookedUpBeforeItIsAnswered() {
        Fixture f = new Fixture();
        assertFalse(f.aliceSuspended());

        f.db.channels.put("alice", alice(true));
        f.clock.advanceMillis(30_000);
        assertTrue(f.aliceSuspended());
        assertTrue(f.refresher.queued.isEmpty());
        assertEquals(2, f.db.slugLookups);
    }

    @Test
    void anUnknownSlugIsLookedUpAgainOnceTheTtlHasPassedSoANewChannelIsFoundAtOnce() {
        CountingDirectory db = new CountingDirectory();
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        ManualExecutor refresher = new ManualExecutor();
        CachedChannelDirectory cached = cache(db, clock, refresher);
        assertTrue(cached.bySlug("bob").isEmpty());
        db.channels.put("bob", new PublishTarget(new ChannelRef(2, "bob"), false));
        clock.advanceMillis(1000);
        assertEquals(2, cached.bySlug("bob").orElseThrow().channel().id());
        assertTrue(refresher.queued.isEmpty());
    }

    @Test
    void aFailedRefreshKeepsServingTheLastAnswerUntilTheStaleLimitThenTheErrorReachesThePost() {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        ManualExecutor refresher = new ManualExecutor();
        // A database that answers once, then is down.
        CachedChannelDirectory seeded = new CachedChannelDirectory(new ChannelDirectory() {
            boolean answered;
            @Override public Optional<PublishTarget> byStreamKey(String k) { return Optional.empty(); }
            @Override public Optional<PublishTarget> bySlug(String s) {
                if (answered) throw new IllegalStateException("database down");
                answered = true;
                return Optional.of(alice(false));
            }
        }, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), refresher);
        assertTrue(seeded.bySlug("alice").isPresent());
        clock.advanceMillis(2000);
        assertTrue(seeded.bySlug("alice").isPresent());
        refresher.runAll();
        assertTrue(seeded.bySlug("alice").isPresent(), "served stale after the failed refresh");
        assertTrue(refresher.queued.isEmpty(), "a failed refresh is not retried per POST");
        clock.advanceMillis(30_000);
        assertThrows(IllegalStateException.class, () -> seeded.bySlug("alice"));
    }

    @Test
    void unknownSlugsAreCachedButCannotGrowTheCacheWithoutBound() {
        CountingDirectory db = new CountingDirectory();
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
        CachedChannelDirectory cached = cache(db, clock, new ManualExecutor());
        for (int i = 0; i < CachedChannelDirectory.MAX_ENTRIES * 3; i++) assertTrue(cached.bySlug("nobody-" + i).isEmpty());
        assertTrue(cached.bySlug("nobody-" + (CachedChannelDirectory.MAX_ENTRIES * 3 - 1)).isEmpty());
        assertEquals(CachedChannelDirectory.MAX_ENTRIES * 3, db.slugLookups, "the last slug was still cached");
        assertTrue(cached.size() <= CachedChannelDirectory.MAX_ENTRIES);
    }

    @Test
    void streamKeyLookupsAreNeverCachedSoARotatedKeyStopsAtOnce() {
        CountingDirectory db = new CountingDirectory();
        db.channels.put("live_key", new PublishTarget(new ChannelRef(1, "alice"), false));
        CachedChannelDirectory cached = cache(db, new ManualClock(Instant.ofEpochMilli(1_000_000)), new ManualExecutor());
        assertTrue(cached.byStreamKey("live_key").isPresent());
        db.channels.remove("live_key");
        assertTrue(cached.byStreamKey("live_key").isEmpty());
        assertEquals(2, db.keyLookups);
    }
}
