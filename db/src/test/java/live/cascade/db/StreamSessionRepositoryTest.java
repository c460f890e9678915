package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class StreamSessionRepositoryTest extends RepositoryTestBase {

    @Test
    void startUpdateAndEndABroadcast() {
        Channel c = channel(anyUser(), "chan");
        Instant t0 = now();

        StreamSession s = db.streamSessions().start(c.id(), t0);
        assertThat(s.live()).isTrue();
        assertThat(s.startedAt()).isEqualTo(t0);
        assertThat(s.channelId()).isEqualTo(c.id());
        assertThat(db.streamSessions().findLive(c.id())).contains(s);
        assertThat(db.channels().findById(c.id()).orElseThrow().live()).isTrue();

        assertThat(db.streamSessions().updateViewers(s.id(), 5)).isTrue();
        assertThat(db.streamSessions().updateViewers(s.id(), 12)).isTrue();
        assertThat(db.streamSessions().updateViewers(s.id(), 4)).isTrue();
        StreamSession live = db.streamSessions().findLive(c.id()).orElseThrow();
        assertThat(live.viewerCount()).isEqualTo(4);
        assertThat(live.peakViewers()).isEqualTo(12);
        assertThat(db.channels().findById(c.id()).orElseThrow().viewerCount()).isEqualTo(4);

        assertThat(db.streamSessions().end(s.id(), t0.plusSeconds(60))).isTrue();
        assertThat(db.streamSessions().end(s.id(), t0.plusSeconds(90))).isFalse();
        assertThat(db.streamSessions().updateViewers(s.id(), 99)).isFalse();
        assertThat(db.streamSessions().findLive(c.id())).isEmpty();
        StreamSession ended = db.streamSessions().findById(s.id()).orElseThrow();
        assertThat(ended.endedAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(ended.peakViewers()).isEqualTo(12);
        assertThat(ended.viewerCount()).isZero();
        assertThat(ended.live()).isFalse();
        Channel offline = db.channels().findById(c.id()).orElseThrow();
        assertThat(offline.live()).isFalse();
        assertThat(offline.viewerCount()).isZero();
    }

    @Test
    void startingWhileLiveEndsThePreviousSession() {
        Channel c = channel(anyUser(), "chan");
        Instant t0 = now();
        StreamSession first = db.streamSessions().start(c.id(), t0);
        db.streamSessions().updateViewers(first.id(), 8);

        StreamSession second = db.streamSessions().start(c.id(), t0.plusSeconds(30));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(db.streamSessions().findLive(c.id())).contains(second);
        StreamSession old = db.streamSessions().findById(first.id()).orElseThrow();
        assertThat(old.endedAt()).isEqualTo(t0.plusSeconds(30));
        assertThat(old.peakViewers()).isEqualTo(8);
    }

    @Test
    void endIsNeverBeforeStart() {
        Channel c = channel(anyUser(), "chan");
        Instant t0 = now();
        StreamSession s = db.streamSessions().start(c.id(), t0);

        db.streamSessions().end(s.id(), t0.minusSeconds(5));

        assertThat(db.streamSessions().findById(s.id()).orElseThrow().endedAt()).isEqualTo(t0);
    }

    @Test
    void concurrentStartsLeaveOneLiveSession() throws Exception {
        Channel c = channel(anyUser(), "chan");
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<StreamSession>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return db.streamSessions().start(c.id(), now());
                }));
            }
            go.countDown();
            for (Future<StreamSession> f : results) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<StreamSession> all = db.streamSessions().listForChannel(c.id(), 10, null);
        assertThat(all).hasSize(threads);
        assertThat(all).filteredOn(StreamSession::live).hasSize(1);
    }

    @Test
    void startForMissingChannelIsAReferenceError() {
        assertThatThrownBy(() -> db.streamSessions().start(4242, now()))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("channelId"));
    }

    @Test
    void listsSessionsNewestFirstWithBefore() {
        Channel c = channel(anyUser(), "chan");
        Channel other = channel(anyUser(), "other");
        Instant t0 = now();
        List<StreamSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StreamSession s = db.streamSessions().start(c.id(), t0.plusSeconds(i * 100L));
            db.streamSessions().end(s.id(), t0.plusSeconds(i * 100L + 50));
            sessions.add(s);
        }
        db.streamSessions().start(other.id(), t0);

        List<StreamSession> page1 = db.streamSessions().listForChannel(c.id(), 2, null);
        List<StreamSession> page2 = db.streamSessions().listForChannel(c.id(), 2, page1.getLast().startedAt());
        List<StreamSession> page3 = db.streamSessions().listForChannel(c.id(), 2, page2.getLast().startedAt());

        assertThat(page1).extracting(StreamSession::id).containsExactly(sessions.get(4).id(), sessions.get(3).id());
        assertThat(page2).extracting(StreamSession::id).containsExactly(sessions.get(2).id(), sessions.get(1).id());
        assertThat(page3).extracting(StreamSession::id).containsExactly(sessions.get(0).id());
        assertThat(page1.getFirst().endedAt()).isEqualTo(t0.plusSeconds(450));
    }

    @Test
    void negativeViewerCountIsRefused() {
        assertThatThrownBy(() -> db.streamSessions().updateViewers(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endAllOpenEndsEveryLiveBroadcastAndNothingElse() {
        Channel a = channel(anyUser(), "open-a");
        Channel b = channel(anyUser(), "open-b");
        java.time.Instant t = java.time.Instant.parse("2026-04-01T10:00:00Z");
        StreamSession done = db.streamSessions().start(a.id(), t);
        db.streamSessions().end(done.id(), t.plusSeconds(10));
        db.streamSessions().start(a.id(), t.plusSeconds(20));
        db.streamSessions().start(b.id(), t.plusSeconds(30));

        assertThat(db.streamSessions().endAllOpen(t.plusSeconds(100))).isEqualTo(2);
        assertThat(db.streamSessions().findLive(a.id())).isEmpty();
        assertThat(db.streamSessions().findLive(b.id())).isEmpty();
        assertThat(db.streamSessions().findById(done.id()).orElseThrow().endedAt()).isEqualTo(t.plusSeconds(10));
        assertThat(db.channels().findById(b.id()).orElseThrow().live()).isFalse();
    }

    @Test
    void heartbeatsKeepABroadcastLiveAndSilenceEndsItAtItsLastSignOfLife() {
        User owner = anyUser();
        Channel alive = channel(owner, "alive");
        Channel crashed = channel(owner, "crashed");
        Channel never = channel(owner, "never");
        Instant t0 = now();
        StreamSession a = db.streamSessions().start(alive.id(), t0);
        StreamSession c = db.streamSessions().start(crashed.id(), t0);
        StreamSession n = db.streamSessions().start(never.id(), t0);
        db.viewerSessions().start(crashed.id(), c.id(), "viewer-of-crashed", "whep", t0.plusSeconds(5));
        db.viewerSessions().start(alive.id(), a.id(), "viewer-of-alive", "whep", t0.plusSeconds(5));

        // The node of "alive" keeps refreshing; the node of "crashed" refreshed once at +10 s, then died.
        assertThat(db.streamSessions().heartbeat(List.of(a.id(), c.id()), t0.plusSeconds(10))).isEqualTo(2);
        assertThat(db.streamSessions().heartbeat(List.of(a.id()), t0.plusSeconds(60))).isEqualTo(1);

        List<StreamSession> ended = db.streamSessions().endStale(t0.plusSeconds(60).minusSeconds(45));
        assertThat(ended).extracting(StreamSession::id).containsExactlyInAnyOrder(c.id(), n.id());
        StreamSession endedCrash = db.streamSessions().findById(c.id()).orElseThrow();
        assertThat(endedCrash.endedAt()).isEqualTo(t0.plusSeconds(10));
        assertThat(db.streamSessions().findById(n.id()).orElseThrow().endedAt()).isEqualTo(t0);
        assertThat(db.channels().findById(crashed.id()).orElseThrow().live()).isFalse();
        assertThat(db.channels().findById(alive.id()).orElseThrow().live()).isTrue();
        // The crashed broadcast's viewer stops accruing watch time at the last heartbeat; the live one's continues.
        assertThat(db.viewerSessions().findByKey("viewer-of-crashed").orElseThrow().endedAt()).isEqualTo(t0.plusSeconds(10));
        assertThat(db.viewerSessions().findByKey("viewer-of-alive").orElseThrow().endedAt()).isNull();

        // A second sweep (another node) finds nothing; an ended session takes no heartbeat.
        assertThat(db.streamSessions().endStale(t0.plusSeconds(15))).isEmpty();
        assertThat(db.streamSessions().heartbeat(List.of(c.id()), t0.plusSeconds(70))).isZero();
        assertThat(db.streamSessions().heartbeat(List.of(), t0.plusSeconds(70))).isZero();
    }
}
