package live.cascade.api.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalNodeCommandsTest {
    @Test
    void everyHandlerGetsEveryCommandInOrderBeforeSendReturnsEvenWhenOneFails() {
        List<String> seen = new ArrayList<>();
        try (LocalNodeCommands commands = new LocalNodeCommands()) {
            commands.subscribe(c -> seen.add("first " + c));
            commands.subscribe(c -> {
                throw new IllegalStateException("a broken handler");
            });
            commands.subscribe(c -> seen.add("third " + c));

            NodeCommand revoke = new NodeCommand.RevokeSession("ab12");
            NodeCommand end = new NodeCommand.EndBroadcast(7, NodeCommand.BroadcastEnd.KEY_ROTATED);
            commands.send(revoke);
            commands.send(end);

            assertThat(seen).containsExactly("first " + revoke, "third " + revoke, "first " + end, "third " + end);
        }
    }
}
