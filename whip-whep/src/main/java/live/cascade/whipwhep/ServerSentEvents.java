package live.cascade.whipwhep;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One server-sent event stream on a response (WHEP's events extension, WHIP's layer pausing). Each write is flushed
 * at once, since a player acts on an event as it comes; a stream with nothing to say for {@link #KEEP_ALIVE} gets a
 * comment line instead.
 */
final class ServerSentEvents {
    /** A comment line this often keeps proxies and the server's idle timeout from closing a quiet stream. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final OutputStream out;
    private long lastWrite = System.nanoTime();

    ServerSentEvents(OutputStream out) {
        this.out = out;
    }

    /** Answers {@code 200} with the event-stream headers; nothing is written yet. */
    static ServerSentEvents open(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        return new ServerSentEvents(ctx.res().getOutputStream());
    }

    /** One event in the stream's text form, for {@link #send}. */
    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    /** A comment line (which clients ignore): the stream's first line says what it is. */
    void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    /**
     * Writes {@code events} (any number of {@link #event}s, or none: {@code ""}); with none, a keep-alive comment if
     * nothing was written for {@link #KEEP_ALIVE}.
     */
    void send(String events) throws IOException {
        if (!events.isEmpty()) {
            write(events);
        } else if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
            comment("keep-alive");
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        lastWrite = System.nanoTime();
    }
}
