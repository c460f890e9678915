package live.cascade.api.media;

import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import live.cascade.db.Role;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.signaling.session.ChannelRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BroadcastRecorderTest {
    @TempDir
    Path dir;

    static DatabaseWriteQueue writes(Database db) {
        return new DatabaseWriteQueue(1000, Duration.ofMillis(10), Duration.ofMillis(100), db::ping, new DatabaseOutage(Clock.systemUTC()));
    }

    @Test
    void aNodeKeepsItsBroadcastsLiveAndEndsThoseOfANodeThatDied() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        try (Database db = Database.open(DatabaseConfig.h2File(dir, 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long ours = db.channels().create(owner, "ours", "Ours", "Games", List.of(), "kh-ours", "ke-ours").id();
            long theirs = db.channels().create(owner, "theirs", "Theirs", "Games", List.of(), "kh-theirs", "ke-theirs").id();
            // Another node started this broadcast, then crashed: nothing will refresh it.
            db.streamSessions().start(theirs, clock.instant());

            BroadcastRecorder recorder = new BroadcastRecorder(db, writes(db), clock);
            try {
                recorder.onLive(new ChannelRef(ours, "ours"));
                for (int i = 0; i < 6; i++) {
                    clock.advance(BroadcastRecorder.HEARTBEAT_INTERVAL);
                    recorder.heartbeatAndSweep();
                }
                // 60 s on: ours was refreshed every 10 s, theirs never since its start.
                assertTrue(db.channels().findById(ours).orElseThrow().live(), "our own broadcast stays live");
                assertFalse(db.channels().findById(theirs).orElseThrow().live(), "the dead node's broadcast was ended");
                assertEquals(Instant.parse("2026-11-22T12:00:00Z"),
                        db.streamSessions().listForChannel(theirs, 1, null).getFirst().endedAt());
            } finally {
                recorder.close();
            }
        }
    }

    @Test
    void aBroadcastIsNotEndedWhileItsNodeIsMerelyBetweenHeartbeats() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        try (Database db = Database.open(DatabaseConfig.h2File(dir, 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long other = db.channels().create(owner, "other", "Other", "Games", List.of(), "kh-o", "ke-o").id();
            db.streamSessions().start(other, clock.instant());
            BroadcastRecorder recorder = new BroadcastRecorder(db, writes(db), clock);
            try {
                clock.advance(BroadcastRecorder.STALE_AFTER.minusSeconds(1));
                recorder.heartbeatAndSweep();
                assertTrue(db.channels().findById(other).orElseThrow().live());
                clock.advance(Duration.ofSeconds(2));
                recorder.heartbeatAndSweep();
                assertFalse(db.channels().findById(other).orElseThrow().live());
            } finally {
                recorder.close();
            }
        }
    }

    @Test
    void aBroadcastEndedWhileItsNodeWasCutOffIsRecordedLiveAgain() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        try (Database db = Database.open(DatabaseConfig.h2File(dir, 2))) {
            long owner = db.users().create("owner", "owner@example.org", "hash", Role.USER).id();
            long ours = db.channels().create(owner, "ours", "Ours", "Games", List.of(), "kh-ours", "ke-ours").id();
            BroadcastRecorder recorder = new BroadcastRecorder(db, writes(db), clock);
            try {
                recorder.onLive(new ChannelRef(ours, "ours"));
                recorder.heartbeatAndSweep();
                // This node could not reach the database for a minute; another node's sweep ended the broadcast.
                clock.advance(Duration.ofMinutes(1));
                assertEquals(1, db.streamSessions().endStale(clock.instant().minus(BroadcastRecorder.STALE_AFTER)).size());
                assertFalse(db.channels().findById(ours).orElseThrow().live());

                recorder.heartbeatAndSweep();
                assertTrue(db.channels().findById(ours).orElseThrow().live(), "the channel is live on this node");
                assertEquals(2, db.streamSessions().listForChannel(ours, 10, null).size());
            } finally {
                recorder.close();
            }
        }
    }
}
