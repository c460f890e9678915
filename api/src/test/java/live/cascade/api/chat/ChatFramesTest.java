package live.cascade.api.chat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading client frames, cleaning posted text, and the wire form of server frames. */
class ChatFramesTest {

    @Test
    void clientFramesAreReadOrExplained() {
        assertThat(ClientFrame.parse("{\"type\":\"message\",\"text\":\"hi\",\"ref\":\"a\"}"))
                .isEqualTo(new ClientFrame.SendMessage("hi", "a"));
        assertThat(ClientFrame.parse("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping(null));
        assertThat(error(ClientFrame.parse("{oops"))).isEqualTo(ChatError.INVALID_JSON);
        assertThat(error(ClientFrame.parse("\"just a string\""))).isEqualTo(ChatError.INVALID_JSON);
        assertThat(error(ClientFrame.parse("{\"text\":\"no type\"}"))).isEqualTo(ChatError.INVALID_JSON);
        assertThat(error(ClientFrame.parse("{\"type\":\"message\",\"text\":42}"))).isEqualTo(ChatError.INVALID_JSON);
        assertThat(error(ClientFrame.parse("{\"type\":\"message\",\"ref\":\"" + "r".repeat(65) + "\",\"text\":\"x\"}"))).isEqualTo(ChatError.INVALID_JSON);
        ClientFrame unknown = ClientFrame.parse("{\"type\":\"shout\",\"ref\":\"z\"}");
        assertThat(error(unknown)).isEqualTo(ChatError.UNKNOWN_TYPE);
        assertThat(((ClientFrame.Invalid) unknown).ref()).isEqualTo("z");
        // Deep nesting is refused by the parser's limits, not by a stack overflow.
        assertThat(error(ClientFrame.parse("[".repeat(5000)))).isEqualTo(ChatError.INVALID_JSON);
    }

    private static ChatError error(ClientFrame f) {
        return f instanceof ClientFrame.Invalid i ? i.error() : null;
    }

    @Test
    void postedTextIsOneCleanLine() {
        assertThat(ChatText.clean("  two\nlines\ttab \u0007bell  ")).isEqualTo("two lines tab bell");
        assertThat(ChatText.clean("broken \uD800 half")).isEqualTo("broken  half");
        assertThat(ChatText.clean("e\u0301")).isEqualTo("\u00e9");
        assertThat(ChatText.length("\uD83D\uDE00\uD83D\uDE00")).isEqualTo(2);
        assertThat(ChatText.clean(" \n\t ")).isEmpty();
    }

    @Test
    void aFrameIsSerializedOnceWithItsTypeAndSharedBytes() {
        ServerFrame.Message m = new ServerFrame.Message(7, 3, new ServerFrame.UserRef(1, "ann"), "hé", Instant.parse("2026-01-02T03:04:05Z"));
        SerializedFrame e = SerializedFrame.of(m);
        assertThat(e.text()).isEqualTo("{\"type\":\"message\",\"id\":7,\"channelId\":3,\"user\":{\"id\":1,\"username\":\"ann\"},"
                + "\"text\":\"hé\",\"sentAt\":\"2026-01-02T03:04:05Z\"}");
        byte[] a = new byte[e.payload().remaining()];
        e.payload().get(a);
        byte[] b = new byte[e.payload().remaining()];
        e.payload().get(b);
        assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo(e.text()).isEqualTo(new String(b, StandardCharsets.UTF_8));
        assertThat(SerializedFrame.of(new ServerFrame.Error("slow_mode", "wait", 5L, null, null)).text())
                .isEqualTo("{\"type\":\"error\",\"code\":\"slow_mode\",\"message\":\"wait\",\"retryAfterMs\":5}");
    }

    @Test
    void theInboundGuardAllowsBurstsThenRefusesAndCountsStrikes() {
        InboundGuard g = new InboundGuard(0);
        int admitted = 0;
        for (int i = 0; i < 100; i++) if (g.admit(0)) admitted++;
        assertThat(admitted).isEqualTo(InboundGuard.BURST);
        assertThat(g.retryAfterMillis()).isEqualTo(100);
        assertThat(g.admit(100)).isTrue();
        assertThat(g.admit(100)).isFalse();
        for (int i = 1; i < InboundGuard.MAX_STRIKES; i++) assertThat(g.strike(1000)).isFalse();
        assertThat(g.strike(1000)).isTrue();
        // Strikes far apart never add up.
        InboundGuard h = new InboundGuard(0);
        for (int i = 0; i < 20; i++) assertThat(h.strike(i * (InboundGuard.STRIKE_WINDOW_MS + 1))).isFalse();
    }
}
