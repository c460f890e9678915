package live.cascade.api.channels;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Test;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelsPerAccountTest {
    @Test
    void anAccountPastItsChannelLimitGets429UntilItDeletesOneWhileAdminsAndOthersAreNotLimited() {
        try (TestNode node = new TestNode("--channels-per-account", "2")) {
            Account admin = node.signup("cpa_admin");
            Account owner = node.signup("cpa_owner");
            assertThat(create(node, owner, "cpa-one").status()).isEqualTo(201);
            assertThat(create(node, owner, "cpa-two").status()).isEqualTo(201);

            Response third = create(node, owner, "cpa-three");
            assertThat(third.status()).as(third.body()).isEqualTo(429);
            assertThat(third.header("Content-Type")).startsWith("application/problem+json");
            assertThat(third.json().at("/detail").asText()).contains("already owns 2 channels").contains("delete one");
            assertThat(node.get("/api/channels/cpa-three", null).status()).isEqualTo(404);

            assertThat(create(node, node.signup("cpa_other"), "cpa-other").status()).as("another account").isEqualTo(201);
            for (String slug : new String[]{"cpa-admin-1", "cpa-admin-2", "cpa-admin-3"}) {
                assertThat(create(node, admin, slug).status()).as("administrators are not limited").isEqualTo(201);
            }

            assertThat(node.send("DELETE", "/api/channels/cpa-one", owner.token(), null).status()).isEqualTo(204);
            assertThat(create(node, owner, "cpa-three").status()).as("a deleted channel frees its place").isEqualTo(201);
            assertThat(node.get("/metrics", null).body()).containsPattern("cascade_refusals_total\\{reason=\"channels_per_account\"\\} 1");
        }
    }

    private static Response create(TestNode node, Account who, String slug) {
        return node.post("/api/channels", who.token(), map("slug", slug, "title", slug, "category", "Test"));
    }
}
