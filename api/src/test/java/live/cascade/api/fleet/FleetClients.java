package live.cascade.api.fleet;

import live.cascade.api.NodeProcess;
import live.cascade.sfu.testkit.client.PacketPublisher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link MultiNodeFleetTest}'s clients: a packet-level publisher that keeps sending, and plain RESP commands. */
final class FleetClients {
    private FleetClients() {}

    /** {@code total_commands_processed} from the Redis on {@code port}. */
    static long commandsProcessed(int port) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("total_commands_processed:")) return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
            throw new AssertionError("no total_commands_processed in INFO stats");
        }
    }

    /** One command to the Redis on {@code port} in RESP, its reply's first line (and the bulk string's value). */
    static String redisCommand(int port, String... parts) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            StringBuilder cmd = new StringBuilder("*" + parts.length + "\r\n");
            for (String p : parts) cmd.append("$").append(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
            s.getOutputStream().write(cmd.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String first = in.readLine();
            return first.startsWith("$") && !first.equals("$-1") ? first + " " + in.readLine() : first;
        }
    }

    /** A WHIP publisher sending 30 synthetic H.264 frames a second, a keyframe each second. */
    static final class Streaming implements AutoCloseable {
        final PacketPublisher pub;
        final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        int frame;

        private Streaming(PacketPublisher pub) {
            this.pub = pub;
            sender.scheduleAtFixedRate(() -> {
                try {
                    pub.send(pub.video().h264(frame * 3000L, frame % 30 == 0));
                    frame++;
                } catch (RuntimeException e) {
                    // the session ended; the test notices through alive()
                }
            }, 0, 33, TimeUnit.MILLISECONDS);
        }

        static Streaming start(NodeProcess n, MultiNodeFleetTest.Channel ch) {
            Streaming s = new Streaming(PacketPublisher.connect(URI.create(n.url("/api/whip")), ch.key(), MultiNodeFleetTest.CLIENT));
            MultiNodeFleetTest.await("channel live", () -> n.http.get("/api/channels/" + ch.slug(), null).json().at("/live").asBoolean());
            return s;
        }

        /** Whether the node still has the session: a PATCH with a bad body is 404 once it is gone (or the node is). */
        boolean alive() {
            try {
                HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(pub.session())
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("x"))
                        .header("Content-Type", "application/trickle-ice-sdpfrag").build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() != 404;
            } catch (java.net.ConnectException gone) {
                return false; // the node itself is gone (it drained and exited)
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            sender.shutdownNow();
            try {
                pub.close();
            } catch (java.io.UncheckedIOException gone) {
                // its node is gone (drained and exited): nothing left to DELETE
            }
        }
    }
}
