package live.cascade.whipwhep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ServerSentEvents sse = new ServerSentEvents(out);

    private String written() { return out.toString(StandardCharsets.UTF_8); }

    @Test
    void eventsAndCommentsInTheStreamFormat() throws IOException {
        sse.comment("cascade live events");
        sse.send(ServerSentEvents.event("active", "{}") + ServerSentEvents.event("viewercount", "{\"viewercount\":2}"));
        assertThat(written()).isEqualTo(": cascade live events\n\n"
                + "event: active\ndata: {}\n\n"
                + "event: viewercount\ndata: {\"viewercount\":2}\n\n");
    }

    @Test
    void nothingToSayOnAStreamThatJustSpokeWritesNothing() throws IOException {
        sse.send(ServerSentEvents.event("layers", "{\"paused\":[\"q\"]}"));
        int before = out.size();
        sse.send("");
        assertThat(out.size()).as("no keep-alive within %s of the last write", ServerSentEvents.KEEP_ALIVE).isEqualTo(before);
    }
}
