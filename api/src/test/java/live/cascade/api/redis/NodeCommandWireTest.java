package live.cascade.api.redis;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.http.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON a command crosses Redis as: every kind comes back equal, under its documented {@code type}. */
class NodeCommandWireTest {
    @Test
    void everyCommandKindSurvivesTheEnvelopeUnderItsDocumentedType() throws Exception {
        List<NodeCommand> all = List.of(
                new NodeCommand.RevokeUser(12, NodeCommand.Revocation.PASSWORD_CHANGED),
                new NodeCommand.RevokeSession("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                new NodeCommand.SuspendChannel(3),
                new NodeCommand.EndBroadcast(3, NodeCommand.BroadcastEnd.KEY_ROTATED),
                new NodeCommand.RevokeModerator(3, 12),
                new NodeCommand.RoleChanged(12));
        List<String> types = List.of("revoke_user", "revoke_session", "suspend_channel", "end_broadcast", "revoke_moderator", "role_changed");
        for (int i = 0; i < all.size(); i++) {
            String text = Json.MAPPER.writeValueAsString(new RedisNodeCommands.Envelope("node-a", all.get(i)));
            JsonNode tree = Json.MAPPER.readTree(text);
            assertThat(tree.at("/command/type").asText()).isEqualTo(types.get(i));
            RedisNodeCommands.Envelope back = Json.MAPPER.readValue(text, RedisNodeCommands.Envelope.class);
            assertThat(back.node()).isEqualTo("node-a");
            assertThat(back.command()).isEqualTo(all.get(i));
        }
    }
}
