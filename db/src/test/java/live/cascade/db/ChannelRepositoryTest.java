package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChannelRepositoryTest extends RepositoryTestBase {

    @Test
    void createsChannelWithNormalizedTags() {
        User owner = anyUser();
        Channel c = db.channels().create(owner.id(), "MyChan", "Speedrun night", "Retro Games",
                List.of("Speedrun", " speedrun ", "SNES", "", "any%"), "hash1", "enc1");

        assertThat(c.id()).isPositive();
        assertThat(c.ownerId()).isEqualTo(owner.id());
        assertThat(c.slug()).isEqualTo("MyChan");
        assertThat(c.title()).isEqualTo("Speedrun night");
        assertThat(c.category()).isEqualTo("Retro Games");
        assertThat(c.tags()).containsExactly("any%", "snes", "speedrun");
        assertThat(c.streamKeyHash()).isEqualTo("hash1");
        assertThat(c.streamKeyEnc()).isEqualTo("enc1");
        assertThat(c.suspended()).isFalse();
        assertThat(c.live()).isFalse();
        assertThat(c.viewerCount()).isZero();
        assertThat(c.followerCount()).isZero();
        assertThat(c.createdAt()).isEqualTo(c.updatedAt());
        assertThat(c.toString()).doesNotContain("hash1").doesNotContain("enc1");
    }

    @Test
    void findsByIdSlugIgnoringCaseAndStreamKeyHash() {
        Channel c = channel(anyUser(), "MyChan");

        assertThat(db.channels().findById(c.id())).contains(c);
        assertThat(db.channels().findBySlug("mychan")).contains(c);
        assertThat(db.channels().findBySlug("MYCHAN")).contains(c);
        assertThat(db.channels().findByStreamKeyHash("keyhash-MyChan")).contains(c);
        assertThat(db.channels().findById(c.id() + 100)).isEmpty();
        assertThat(db.channels().findBySlug("nope")).isEmpty();
        assertThat(db.channels().findByStreamKeyHash("nope")).isEmpty();
    }

    @Test
    void duplicateSlugIgnoringCaseIsReportedWithTheField() {
        User owner = anyUser();
        channel(owner, "Chan");

        assertThatThrownBy(() -> db.channels().create(owner.id(), "cHAN", "t", "c", List.of("a"), "other", "e"))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("slug"));
    }

    @Test
    void duplicateStreamKeyIsReportedWithTheField() {
        User owner = anyUser();
        db.channels().create(owner.id(), "one", "t", "c", List.of(), "samehash", "e");

        assertThatThrownBy(() -> db.channels().create(owner.id(), "two", "t", "c", List.of(), "samehash", "e"))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("streamKey"));
    }

    @Test
    void channelForMissingOwnerIsAReferenceError() {
        assertThatThrownBy(() -> db.channels().create(777, "x", "t", "c", List.of(), "h", "e"))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class,
                        e -> assertThat(e.field()).isEqualTo("ownerId"));
    }

    @Test
    void partialUpdateChangesOnlyWhatIsGiven() {
        Channel c = channel(anyUser(), "chan", "Old title", "Games", List.of("one", "two"));

        Channel titled = db.channels().update(c.id(), ChannelUpdate.title("New title")).orElseThrow();
        assertThat(titled.title()).isEqualTo("New title");
        assertThat(titled.category()).isEqualTo("Games");
        assertThat(titled.tags()).containsExactly("one", "two");
        assertThat(titled.updatedAt()).isAfterOrEqualTo(c.updatedAt());

        Channel categorized = db.channels().update(c.id(), ChannelUpdate.category("Music")).orElseThrow();
        assertThat(categorized.title()).isEqualTo("New title");
        assertThat(categorized.category()).isEqualTo("Music");
        assertThat(db.channels().list(ChannelQuery.firstPage(10).withCategory("MUSIC")).items())
                .extracting(Channel::id).containsExactly(c.id());

        Channel retagged = db.channels().update(c.id(), ChannelUpdate.tags(List.of("Three", "one"))).orElseThrow();
        assertThat(retagged.tags()).containsExactly("one", "three");
        assertThat(retagged.title()).isEqualTo("New title");

        Channel untagged = db.channels().update(c.id(), ChannelUpdate.tags(List.of())).orElseThrow();
        assertThat(untagged.tags()).isEmpty();

        Channel all = db.channels().update(c.id(), new ChannelUpdate("T", "C", List.of("x"))).orElseThrow();
        assertThat(all).extracting(Channel::title, Channel::category, Channel::tags)
                .containsExactly("T", "C", List.of("x"));

        assertThat(db.channels().update(c.id() + 100, ChannelUpdate.title("x"))).isEmpty();
    }

    @Test
    void deletesChannelWithItsTagsSessionsAndFollows() {
        User owner = anyUser();
        User fan = anyUser();
        Channel c = channel(owner, "chan", "t", "c", List.of("tag"));
        db.follows().follow(fan.id(), c.id());
        db.streamSessions().start(c.id(), now());

        assertThat(db.channels().delete(c.id())).isTrue();
        assertThat(db.channels().delete(c.id())).isFalse();
        assertThat(db.channels().findById(c.id())).isEmpty();
        assertThat(db.follows().countFollowers(c.id())).isZero();
        assertThat(db.streamSessions().findLive(c.id())).isEmpty();
        // The slug is free again.
        assertThat(channel(owner, "chan").id()).isNotEqualTo(c.id());
    }

    @Test
    void rotatedStreamKeyReplacesTheOldOne() {
        Channel c = channel(anyUser(), "chan");

        assertThat(db.channels().rotateStreamKey(c.id(), "new-hash", "new-enc")).isTrue();

        assertThat(db.channels().findByStreamKeyHash("keyhash-chan")).isEmpty();
        Channel rotated = db.channels().findByStreamKeyHash("new-hash").orElseThrow();
        assertThat(rotated.id()).isEqualTo(c.id());
        assertThat(rotated.streamKeyEnc()).isEqualTo("new-enc");
        assertThat(db.channels().rotateStreamKey(c.id() + 100, "h", "e")).isFalse();
    }

    @Test
    void rotatingToAnotherChannelsKeyIsADuplicate() {
        User owner = anyUser();
        Channel a = channel(owner, "a");
        channel(owner, "b");

        assertThatThrownBy(() -> db.channels().rotateStreamKey(a.id(), "keyhash-b", "e"))
                .isInstanceOfSatisfying(DuplicateException.class, e -> assertThat(e.field()).isEqualTo("streamKey"));
    }

    @Test
    void suspendedChannelsAreHiddenUnlessAsked() {
        User owner = anyUser();
        Channel visible = channel(owner, "visible");
        Channel hidden = channel(owner, "hidden");
        assertThat(db.channels().setSuspended(hidden.id(), true)).isTrue();
        assertThat(db.channels().setSuspended(hidden.id() + 100, true)).isFalse();

        assertThat(ids(db.channels().list(ChannelQuery.firstPage(10)))).containsExactly(visible.id());
        assertThat(ids(db.channels().list(ChannelQuery.firstPage(10).withIncludeSuspended(true))))
                .containsExactly(visible.id(), hidden.id());
        assertThat(db.channels().findById(hidden.id()).orElseThrow().suspended()).isTrue();
    }

    @Test
    void channelsOfSuspendedOwnersAreHiddenUnlessAsked() {
        User good = anyUser();
        User bad = anyUser();
        Channel a = channel(good, "a");
        Channel b = channel(bad, "b");
        db.users().setSuspended(bad.id(), true);

        assertThat(ids(db.channels().list(ChannelQuery.firstPage(10)))).containsExactly(a.id());
        assertThat(ids(db.channels().list(ChannelQuery.firstPage(10).withIncludeSuspended(true))))
                .containsExactly(a.id(), b.id());
    }

    @Test
    void filtersByOwnerLiveCategoryAndSearch() {
        User alice = anyUser();
        User bob = anyUser();
        Channel speed = channel(alice, "speed", "Speedrun Marathon", "Retro Games", List.of("snes"));
        Channel jazz = channel(alice, "jazz", "Late night", "Music", List.of("Jazz", "piano"));
        Channel chess = channel(bob, "chess", "Blitz", "Board Games", List.of("chess"));
        Channel pct = channel(bob, "pct", "100% run", "Retro Games", List.of());
        db.streamSessions().start(jazz.id(), now());

        ChannelQuery all = ChannelQuery.firstPage(50);
        assertThat(ids(db.channels().list(all.withOwner(alice.id())))).containsExactly(jazz.id(), speed.id());
        assertThat(ids(db.channels().list(all.withOwner(bob.id())))).containsExactly(chess.id(), pct.id());
        assertThat(ids(db.channels().list(all.withLive(true)))).containsExactly(jazz.id());
        assertThat(ids(db.channels().list(all.withLive(false)))).containsExactly(speed.id(), chess.id(), pct.id());
        assertThat(ids(db.channels().list(all.withCategory("retro games")))).containsExactly(speed.id(), pct.id());
        assertThat(ids(db.channels().list(all.withCategory("Games")))).isEmpty();
        // q over title ...
        assertThat(ids(db.channels().list(all.withQ("MARATHON")))).containsExactly(speed.id());
        // ... tags ...
        assertThat(ids(db.channels().list(all.withQ("jazz")))).containsExactly(jazz.id());
        assertThat(ids(db.channels().list(all.withQ("pian")))).containsExactly(jazz.id());
        // ... and category
        assertThat(ids(db.channels().list(all.withQ("board")))).containsExactly(chess.id());
        assertThat(ids(db.channels().list(all.withQ("games")))).containsExactly(speed.id(), chess.id(), pct.id());
        // LIKE wildcards in q match literally.
        assertThat(ids(db.channels().list(all.withQ("100%")))).containsExactly(pct.id());
        assertThat(ids(db.channels().list(all.withQ("%")))).containsExactly(pct.id());
        assertThat(ids(db.channels().list(all.withQ("_")))).isEmpty();
        // Filters combine.
        assertThat(ids(db.channels().list(all.withOwner(alice.id()).withQ("games")))).containsExactly(speed.id());
        assertThat(ids(db.channels().list(all.withQ("  ")))).hasSize(4);
    }

    @Test
    void listsLiveFirstThenByViewersThenById() {
        User owner = anyUser();
        Channel offline1 = channel(owner, "off1");
        Channel small = channel(owner, "small");
        Channel offline2 = channel(owner, "off2");
        Channel big = channel(owner, "big");
        Channel tied = channel(owner, "tied");
        viewers(small, 3);
        viewers(big, 50);
        viewers(tied, 3);

        Page<Channel> page = db.channels().list(ChannelQuery.firstPage(10));

        assertThat(ids(page)).containsExactly(big.id(), small.id(), tied.id(), offline1.id(), offline2.id());
        assertThat(page.items().getFirst().live()).isTrue();
        assertThat(page.items().getFirst().viewerCount()).isEqualTo(50);
        assertThat(page.items().getLast().live()).isFalse();
        assertThat(page.next()).isNull();
    }

    @Test
    void pagesWithCursorAcrossLiveAndOfflineChannels() {
        User owner = anyUser();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            channels.add(channel(owner, "c" + i));
        }
        // Live: c3 (7 viewers), c5 (7), c8 (2), c9 (0); the rest offline.
        viewers(channels.get(3), 7);
        viewers(channels.get(5), 7);
        viewers(channels.get(8), 2);
        viewers(channels.get(9), 0);
        List<Long> expected = new ArrayList<>(List.of(channels.get(3).id(), channels.get(5).id(), channels.get(8).id(),
                channels.get(9).id()));
        for (int i : new int[] {0, 1, 2, 4, 6, 7, 10}) {
            expected.add(channels.get(i).id());
        }

        List<Long> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        ChannelQuery query = ChannelQuery.firstPage(3);
        Page<Channel> page;
        do {
            page = db.channels().list(query);
            sizes.add(page.items().size());
            seen.addAll(ids(page));
            query = query.withCursor(page.next());
        } while (page.hasNext());

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(sizes).containsExactly(3, 3, 3, 2);
    }

    @Test
    void lastFullPageHasNoCursor() {
        User owner = anyUser();
        channel(owner, "a");
        channel(owner, "b");

        Page<Channel> page = db.channels().list(ChannelQuery.firstPage(2));

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isNull();
    }

    @Test
    void foreignCursorIsRejected() {
        assertThatThrownBy(() -> db.channels().list(ChannelQuery.firstPage(5).withCursor("not a cursor!")))
                .isInstanceOf(InvalidCursorException.class);
        assertThatThrownBy(() -> db.channels().list(ChannelQuery.firstPage(5).withCursor("eDox")))
                .isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void showsFollowerCount() {
        Channel c = channel(anyUser(), "chan");
        db.follows().follow(anyUser().id(), c.id());
        db.follows().follow(anyUser().id(), c.id());

        assertThat(db.channels().findById(c.id()).orElseThrow().followerCount()).isEqualTo(2);
        assertThat(db.channels().list(ChannelQuery.firstPage(5)).items().getFirst().followerCount()).isEqualTo(2);
    }

    private void viewers(Channel c, int count) {
        StreamSession s = db.streamSessions().start(c.id(), now());
        db.streamSessions().updateViewers(s.id(), count);
    }

    private static List<Long> ids(Page<Channel> page) {
        return page.items().stream().map(Channel::id).toList();
    }
}
