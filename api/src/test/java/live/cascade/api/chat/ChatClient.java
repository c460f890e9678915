package live.cascade.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.http.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A chat WebSocket as a test sees it: every frame received, in order, and how the server closed it. */
public final class ChatClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;

    private ChatClient(WebSocket ws) {
        this.ws = ws;
    }

    /** Connects; {@code headers} are name/value pairs (Authorization, Cookie, Origin...). */
    static ChatClient connect(String wsUrl, String... headers) {
        Listener listener = new Listener();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        WebSocket ws;
        try {
            ws = b.buildAsync(URI.create(wsUrl), listener).join();
        } catch (CompletionException e) {
            throw new AssertionError("WebSocket connect to " + wsUrl + " failed: " + e.getCause(), e.getCause());
        }
        ChatClient c = listener.client;
        return c;
    }

    public static ChatClient connect(String wsUrl, String token) {
        return token == null ? connect(wsUrl, new String[0]) : connect(wsUrl, "Authorization", "Bearer " + token);
    }

    /** The handshake failed: the HTTP status the server answered the upgrade with. */
    public static int upgradeStatus(String wsUrl, String... headers) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            b.buildAsync(URI.create(wsUrl), new Listener()).join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw new AssertionError("unexpected failure: " + e.getCause(), e);
        }
    }

    private static final class Listener implements WebSocket.Listener {
        ChatClient client;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            client = new ChatClient(webSocket);
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    client.frames.add(Json.MAPPER.readTree(partial.toString()));
                } catch (IOException e) {
                    client.frames.add(Json.MAPPER.createObjectNode().put("type", "unparseable").put("raw", partial.toString()));
                }
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            // Reply to the server's close before telling the test: a send after awaitClose() then finds the output
            // closed, as a browser's would be. (Returning null lets the client reply later, on its own thread, which
            // raced the test's next send.)
            return webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").handle((ws, error) -> {
                client.closeCode.complete(statusCode);
                return null;
            });
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (client != null) client.closeCode.complete(-1);
        }
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends unless the server has already closed the socket (a close may overtake a test's stream of frames). */
    boolean trySend(String text) {
        try {
            ws.sendText(text, true).join();
            return true;
        } catch (CompletionException e) {
            // "Output closed": the server's close arrived first.
            if (e.getCause() instanceof IOException) return false;
            throw e;
        }
    }

    public void sendJson(Object value) {
        try {
            send(Json.MAPPER.writeValueAsString(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
    }

    /** The next frame matching {@code which}, skipping others (kept in {@link #seen()}); fails after {@code timeout}. */
    public JsonNode next(Predicate<JsonNode> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f;
            try {
                f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (f == null) throw new AssertionError("no matching frame within " + timeout + "; frames seen: " + seen);
            seen.add(f);
            if (which.test(f)) return f;
        }
    }

    /** Like {@link #next(Predicate, Duration)} but also matches frames already skipped, for frames whose order is not fixed. */
    JsonNode find(Predicate<JsonNode> which, Duration timeout) {
        synchronized (seen) {
            for (JsonNode f : seen) if (which.test(f)) return f;
        }
        return next(which, timeout);
    }

    JsonNode next(String type) {
        return next(type, Duration.ofSeconds(10));
    }

    JsonNode next(String type, Duration timeout) {
        return next(f -> type.equals(f.path("type").asText()), timeout);
    }

    /** Asserts no frame of {@code type} arrives within {@code wait}. */
    void assertNone(String type, Duration wait) {
        try {
            JsonNode f = next(type, wait);
            throw new IllegalStateException("unexpected " + type + " frame: " + f);
        } catch (AssertionError expected) {
            // nothing came
        }
    }

    List<JsonNode> seen() {
        return seen;
    }

    int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + timeout + "; frames seen: " + seen, e);
        }
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) ws.abort();
    }
}
