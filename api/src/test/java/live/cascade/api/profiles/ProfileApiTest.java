package live.cascade.api.profiles;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

class ProfileApiTest {
    static TestNode node;
    static Account me;
    static List<Long> friends = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = new TestNode();
        node.signup("prof_admin");
        me = node.signup("streamer");
        for (int i = 0; i < 9; i++) friends.add(node.signup("friend" + i).id());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void profileRoundTripsWithEightFriendsAndCheckedAddresses() {
        Response put = node.send("PUT", "/api/profiles/" + me.id(), me.token(), map(
                "bio", "  I speedrun things.  ",
                "avatarUrl", "https://cdn.example.org/a.png",
                "bannerUrl", "https://cdn.example.org/b.png",
                "topFriends", friends.subList(0, 8),
                "donationAddresses", List.of(
                        Map.of("currency", "btc", "address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "note", "cold wallet"),
                        Map.of("currency", "eth", "address", "0x52908400098527886E0F7030069857D2E4169EE7"),
                        Map.of("currency", "XMR", "address", "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx"))));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Response get = node.get("/api/profiles/" + me.id(), null);
        assertThat(get.json().at("/bio").asText()).isEqualTo("I speedrun things.");
        assertThat(get.json().at("/username").asText()).isEqualTo("streamer");
        assertThat(get.json().at("/topFriends")).hasSize(8);
        assertThat(get.json().at("/topFriends/0").asLong()).isEqualTo(friends.getFirst());
        assertThat(get.json().at("/donationAddresses/0/currency").asText()).isEqualTo("BTC");
        assertThat(get.json().at("/donationAddresses/1/currency").asText()).isEqualTo("ETH");
        assertThat(get.json().at("/donationAddresses/0/note").asText()).isEqualTo("cold wallet");
    }

    @Test
    void nineTopFriendsAreRejected() {
        Response r = node.send("PUT", "/api/profiles/" + me.id(), me.token(), map("topFriends", friends));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("topFriends");
        assertThat(r.json().at("/detail").asText()).contains("at most 8");
    }

    @Test
    void unknownFriendAndMalformedAddressesAreNamed() {
        Response r = node.send("PUT", "/api/profiles/" + me.id(), me.token(), map(
                "topFriends", List.of(friends.getFirst(), 999_999L, me.id()),
                "donationAddresses", List.of(
                        Map.of("currency", "BTC", "address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx"),
                        Map.of("currency", "ETH", "address", "0x1234"))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "topFriends[1]", "topFriends[2]", "donationAddresses[0].address", "donationAddresses[1].address");
    }

    @Test
    void onlyTheOwnerEditsAProfile() {
        Account stranger = node.signup("stranger");
        assertThat(node.send("PUT", "/api/profiles/" + me.id(), stranger.token(), map("bio", "pwned")).status()).isEqualTo(403);
        assertThat(node.send("PUT", "/api/profiles/" + me.id(), null, map("bio", "pwned")).status()).isEqualTo(401);
        assertThat(node.get("/api/profiles/424242", null).status()).isEqualTo(404);
    }
}
