package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnalyticsRepositoryTest extends RepositoryTestBase {

    static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
    static final Instant DAY_AGO = NOW.minusSeconds(24 * 3600);

    @Test
    void watchTimeIsClippedToTheWindowAndOpenSessionsRunToNow() {
        User owner = anyUser();
        Channel c = channel(owner, "clip");
        StreamSession live = db.streamSessions().start(c.id(), NOW.minusSeconds(3600));
        // 30 min before the window + 10 min inside it: 10 min count.
        db.viewerSessions().start(c.id(), null, "straddles", "whep", DAY_AGO.minusSeconds(1800));
        db.viewerSessions().end("straddles", DAY_AGO.plusSeconds(600));
        // Entirely before the window: not counted at all.
        db.viewerSessions().start(c.id(), null, "old", "hls", DAY_AGO.minusSeconds(7200));
        db.viewerSessions().end("old", DAY_AGO.minusSeconds(3600));
        // 5 min, closed.
        db.viewerSessions().start(c.id(), live.id(), "closed", "hls", NOW.minusSeconds(900));
        db.viewerSessions().end("closed", NOW.minusSeconds(600));
        // Open for 2.5 min: counts up to now, and as a live viewer.
        db.viewerSessions().start(c.id(), live.id(), "open", "whep", NOW.minusSeconds(150));

        ChannelActivity a = only(db.analytics().activity(owner.id(), DAY_AGO, NOW, NOW.minusSeconds(60)));
        assertThat(a.watchSeconds()).isEqualTo(600 + 300 + 150);
        assertThat(a.viewerSessions()).isEqualTo(3);
        assertThat(a.liveViewers()).isEqualTo(1);
        assertThat(a.live()).isTrue();
        assertThat(a.slug()).isEqualTo("clip");
    }

    @Test
    void openSessionsOfAChannelThatIsOffAirAreNotLiveViewers() {
        User owner = anyUser();
        Channel c = channel(owner, "offair");
        db.viewerSessions().start(c.id(), null, "stale", "whep", NOW.minusSeconds(60));
        ChannelActivity a = only(db.analytics().activity(owner.id(), DAY_AGO, NOW, DAY_AGO));
        assertThat(a.live()).isFalse();
        assertThat(a.liveViewers()).isZero();
        assertThat(a.watchSeconds()).isEqualTo(60);
    }

    @Test
    void chatFollowersAndScopeByOwner() {
        User alice = anyUser();
        User bob = anyUser();
        Channel a = channel(alice, "alices");
        Channel b = channel(bob, "bobs");
        db.follows().follow(bob.id(), a.id());
        db.chatMessages().post(a.id(), bob.id(), "hello");
        ChatMessage gone = db.chatMessages().post(a.id(), bob.id(), "spam");
        db.chatMessages().delete(a.id(), gone.id(), alice.id(), null);
        db.chatMessages().post(b.id(), alice.id(), "hi bob");

        Instant later = Instant.now().plusSeconds(60);
        ChannelActivity mine = only(db.analytics().activity(alice.id(), later.minusSeconds(86400), later, later.minusSeconds(3600)));
        assertThat(mine.channelId()).isEqualTo(a.id());
        assertThat(mine.followers()).isEqualTo(1);
        assertThat(mine.chatMessages()).as("deleted messages were posted too").isEqualTo(2);
        assertThat(mine.watchSeconds()).isZero();
        assertThat(mine.viewerSessions()).isZero();

        List<ChannelActivity> all = db.analytics().activity(null, later.minusSeconds(86400), later, later.minusSeconds(3600));
        assertThat(all).extracting(ChannelActivity::channelId).containsExactly(a.id(), b.id());
        assertThat(all.get(1).chatMessages()).isEqualTo(1);
        // A cut-off after the messages counts none.
        assertThat(only(db.analytics().activity(alice.id(), later.minusSeconds(86400), later, later)).chatMessages()).isZero();
    }

    private static ChannelActivity only(List<ChannelActivity> list) {
        assertThat(list).hasSize(1);
        return list.getFirst();
    }
}
