package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ViewerSessionRepositoryTest extends RepositoryTestBase {

    @Test
    void recordsStartAndEndAndWatchTime() {
        Channel c = channel(anyUser(), "watched");
        StreamSession live = db.streamSessions().start(c.id(), Instant.parse("2026-03-01T10:00:00Z"));
        Instant t0 = Instant.parse("2026-03-01T10:05:00Z");
        ViewerSession v = db.viewerSessions().start(c.id(), live.id(), "k1", "whep", t0);
        assertThat(v.endedAt()).isNull();
        assertThat(v.streamSessionId()).isEqualTo(live.id());
        assertThat(ViewerSessionRepository.watched(v, t0.plusSeconds(90))).isEqualTo(Duration.ofSeconds(90));

        assertThat(db.viewerSessions().end("k1", t0.plusSeconds(600))).isTrue();
        assertThat(db.viewerSessions().end("k1", t0.plusSeconds(700))).isFalse();
        ViewerSession ended = db.viewerSessions().findByKey("k1").orElseThrow();
        assertThat(ended.endedAt()).isEqualTo(t0.plusSeconds(600));
        assertThat(ViewerSessionRepository.watched(ended, t0.plusSeconds(9999))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void endOpenClosesOnlyTheChannelsOpenSessions() {
        Channel a = channel(anyUser(), "a");
        Channel b = channel(anyUser(), "b");
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        db.viewerSessions().start(a.id(), null, "a1", "whep", t);
        db.viewerSessions().start(a.id(), null, "a2", "hls", t);
        db.viewerSessions().start(b.id(), null, "b1", "whep", t);
        db.viewerSessions().end("a2", t.plusSeconds(5));

        assertThat(db.viewerSessions().endOpen(a.id(), t.plusSeconds(60))).isEqualTo(1);
        assertThat(db.viewerSessions().findByKey("a1").orElseThrow().endedAt()).isEqualTo(t.plusSeconds(60));
        assertThat(db.viewerSessions().findByKey("b1").orElseThrow().endedAt()).isNull();
        assertThat(db.viewerSessions().listForChannel(a.id(), t, 10)).hasSize(2);
    }

    @Test
    void duplicateKeysAndMissingChannelsAreNamed() {
        Channel c = channel(anyUser(), "dupes");
        Instant t = Instant.parse("2026-03-03T10:00:00Z");
        db.viewerSessions().start(c.id(), null, "same", "whep", t);
        assertThatThrownBy(() -> db.viewerSessions().start(c.id(), null, "same", "whep", t))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("sessionKey"));
        assertThatThrownBy(() -> db.viewerSessions().start(424242, null, "other", "whep", t))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class, e -> assertThat(e.field()).isEqualTo("channelId"));
    }
}
