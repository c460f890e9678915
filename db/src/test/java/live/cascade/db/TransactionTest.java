package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A multi-statement write whose later statement fails leaves nothing of its earlier ones behind. */
class TransactionTest extends RepositoryTestBase {

    private static final String TOO_LONG_TAG = "t".repeat(33);

    @Test
    void channelIsNotCreatedWhenItsTagsFail() {
        User owner = anyUser();

        assertThatThrownBy(() -> db.channels().create(owner.id(), "chan", "t", "c", List.of("ok", TOO_LONG_TAG),
                "hash", "enc")).isInstanceOf(DatabaseException.class);

        assertThat(db.channels().findBySlug("chan")).isEmpty();
        assertThat(db.channels().findByStreamKeyHash("hash")).isEmpty();
        assertThat(db.channels().list(ChannelQuery.firstPage(10).withIncludeSuspended(true)).items()).isEmpty();
        // The slug and key are still free.
        assertThat(db.channels().create(owner.id(), "chan", "t", "c", List.of(), "hash", "enc")).isNotNull();
    }

    @Test
    void channelUpdateIsUndoneWhenItsTagsFail() {
        Channel c = channel(anyUser(), "chan", "Old", "Games", List.of("keep"));

        assertThatThrownBy(() -> db.channels().update(c.id(), new ChannelUpdate("New", "Music",
                List.of("fine", TOO_LONG_TAG)))).isInstanceOf(DatabaseException.class);

        Channel after = db.channels().findById(c.id()).orElseThrow();
        assertThat(after.title()).isEqualTo("Old");
        assertThat(after.category()).isEqualTo("Games");
        assertThat(after.tags()).containsExactly("keep");
        assertThat(after.updatedAt()).isEqualTo(c.updatedAt());
    }

    @Test
    void profileIsNotChangedWhenAnAddressFails() {
        User u = anyUser();
        User friend = anyUser();
        Profile before = new Profile(u.id(), "before", null, null, null, List.of(friend.id()), List.of());
        db.profiles().put(before);

        assertThatThrownBy(() -> db.profiles().put(new Profile(u.id(), "after", null, null, null, List.of(),
                List.of(new DonationAddress("BTC", "a".repeat(300), null))))).isInstanceOf(DatabaseException.class);

        assertThat(db.profiles().get(u.id())).isEqualTo(before);
    }
}
