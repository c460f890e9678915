package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FollowRepositoryTest extends RepositoryTestBase {

    @Test
    void followIsIdempotentAndCounted() {
        User fan = anyUser();
        User other = anyUser();
        Channel c = channel(anyUser(), "chan");

        assertThat(db.follows().follow(fan.id(), c.id())).isTrue();
        assertThat(db.follows().follow(fan.id(), c.id())).isFalse();
        assertThat(db.follows().follow(other.id(), c.id())).isTrue();

        assertThat(db.follows().isFollowing(fan.id(), c.id())).isTrue();
        assertThat(db.follows().countFollowers(c.id())).isEqualTo(2);
        assertThat(db.channels().findById(c.id()).orElseThrow().followerCount()).isEqualTo(2);

        assertThat(db.follows().unfollow(fan.id(), c.id())).isTrue();
        assertThat(db.follows().unfollow(fan.id(), c.id())).isFalse();
        assertThat(db.follows().isFollowing(fan.id(), c.id())).isFalse();
        assertThat(db.follows().countFollowers(c.id())).isEqualTo(1);
    }

    @Test
    void listsFollowedChannelsLiveFirst() {
        User fan = anyUser();
        User owner = anyUser();
        Channel a = channel(owner, "a");
        Channel b = channel(owner, "b");
        Channel notFollowed = channel(owner, "c");
        db.follows().follow(fan.id(), a.id());
        db.follows().follow(fan.id(), b.id());
        db.streamSessions().start(b.id(), now());

        assertThat(db.follows().listFollowedChannels(fan.id())).extracting(Channel::id)
                .containsExactly(b.id(), a.id());
        assertThat(db.channels().list(ChannelQuery.firstPage(10).withFollowedBy(fan.id())).items())
                .extracting(Channel::id).containsExactly(b.id(), a.id()).doesNotContain(notFollowed.id());
        assertThat(db.follows().listFollowedChannels(owner.id())).isEmpty();
    }

    @Test
    void followingAMissingChannelOrAsAMissingUserIsAReferenceError() {
        User fan = anyUser();
        Channel c = channel(anyUser(), "chan");

        assertThatThrownBy(() -> db.follows().follow(fan.id(), 9999))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("channelId"));
        assertThatThrownBy(() -> db.follows().follow(9999, c.id()))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("userId"));
    }
}
