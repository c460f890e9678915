package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProfileRepositoryTest extends RepositoryTestBase {

    @Test
    void unsavedProfileIsEmpty() {
        User u = anyUser();

        assertThat(db.profiles().get(u.id())).isEqualTo(Profile.empty(u.id()));
    }

    @Test
    void roundTripsEightFriendsInOrderAndAddresses() {
        User u = anyUser();
        Channel featured = channel(u, "mine");
        List<Long> friends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            friends.add(anyUser().id());
        }
        List<Long> shuffled = List.of(friends.get(5), friends.get(0), friends.get(7), friends.get(2),
                friends.get(1), friends.get(6), friends.get(3), friends.get(4));
        List<DonationAddress> addresses = List.of(
                new DonationAddress("XMR", "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx", "thanks!"),
                new DonationAddress("BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", null));
        Profile profile = new Profile(u.id(), "Hello, I stream.", "https://example.org/a.png",
                "https://example.org/b.png", featured.id(), shuffled, addresses);

        Profile saved = db.profiles().put(profile);

        assertThat(saved).isEqualTo(profile);
        assertThat(db.profiles().get(u.id())).isEqualTo(profile);
    }

    @Test
    void putReplacesFriendsAndAddresses() {
        User u = anyUser();
        User f1 = anyUser();
        User f2 = anyUser();
        db.profiles().put(new Profile(u.id(), "v1", null, null, null, List.of(f1.id(), f2.id()),
                List.of(new DonationAddress("BTC", "addr1", null), new DonationAddress("ETH", "addr2", "n"))));

        Profile v2 = new Profile(u.id(), null, "https://example.org/new.png", null, null, List.of(f2.id()),
                List.of(new DonationAddress("XMR", "addr3", null)));
        db.profiles().put(v2);

        assertThat(db.profiles().get(u.id())).isEqualTo(v2);
    }

    @Test
    void missingFriendIsAReferenceErrorAndNothingIsHalfWritten() {
        User u = anyUser();
        User friend = anyUser();
        Profile before = new Profile(u.id(), "before", null, null, null, List.of(friend.id()),
                List.of(new DonationAddress("BTC", "old", null)));
        db.profiles().put(before);

        Profile broken = new Profile(u.id(), "after", null, null, null, List.of(friend.id(), 999_999L),
                List.of(new DonationAddress("XMR", "new", null)));
        assertThatThrownBy(() -> db.profiles().put(broken))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("topFriendIds"));

        assertThat(db.profiles().get(u.id())).isEqualTo(before);
    }

    @Test
    void missingFeaturedChannelIsAReferenceErrorAndNothingIsWritten() {
        User u = anyUser();

        assertThatThrownBy(() -> db.profiles().put(new Profile(u.id(), "bio", null, null, 12345L, List.of(),
                List.of(new DonationAddress("BTC", "a", null)))))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("featuredChannelId"));
        assertThat(db.profiles().get(u.id())).isEqualTo(Profile.empty(u.id()));
    }

    @Test
    void profileOfMissingUserIsAReferenceError() {
        assertThatThrownBy(() -> db.profiles().put(Profile.empty(31337)))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("userId"));
    }

    @Test
    void repeatedFriendIsADuplicate() {
        User u = anyUser();
        User f = anyUser();

        assertThatThrownBy(() -> db.profiles().put(new Profile(u.id(), null, null, null, null,
                List.of(f.id(), f.id()), List.of())))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("topFriendIds"));
    }

    @Test
    void moreThanEightFriendsIsRefusedBeforeWriting() {
        User u = anyUser();
        List<Long> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(anyUser().id());
        }

        assertThatThrownBy(() -> db.profiles().put(new Profile(u.id(), null, null, null, null, nine, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingTheFeaturedChannelClearsIt() {
        User u = anyUser();
        Channel c = channel(u, "feat");
        db.profiles().put(new Profile(u.id(), null, null, null, c.id(), List.of(), List.of()));

        db.channels().delete(c.id());

        assertThat(db.profiles().get(u.id()).featuredChannelId()).isNull();
    }
}
