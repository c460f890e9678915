package live.cascade.api.chat;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address cap on chat sockets against a real node: anonymous upgrades from 127.0.0.2 (raw handshakes on a
 * socket bound to that address, since Java's WebSocket client cannot choose its source) stop at the cap with 429,
 * while a viewer on 127.0.0.1 still connects, and a closed socket frees its place.
 */
class ChatSocketLimitTest {
    private static final int CAP = 4;

    @Test
    void oneAddressIsCappedAtItsChatSocketsWhileAnotherStillConnects() throws Exception {
        try (TestNode node = new TestNode("--chat-sockets-per-ip", Integer.toString(CAP))) {
            Account owner = node.signup("sockets_owner");
            assertThat(node.post("/api/channels", owner.token(), map("slug", "sockets", "title", "t", "category", "Test")).status()).isEqualTo(201);
            String path = "/api/channels/sockets/chat/ws";
            int port = node.server.port();
            List<Upgrade> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    Upgrade u = Upgrade.open("127.0.0.2", port, path);
                    assertThat(u.status).as(u.head).isEqualTo(101);
                    assertThat(u.body).as("the hello frame").contains("hello");
                    held.add(u);
                }
                Upgrade refused = Upgrade.open("127.0.0.2", port, path);
                refused.socket.close();
                assertThat(refused.status).as(refused.head).isEqualTo(429);
                assertThat(refused.head).containsIgnoringCase("Retry-After:").containsIgnoringCase("application/problem+json");
                assertThat(refused.body).as("the refusal's problem document").contains("\"status\":429").contains("chat connections open");

                long t0 = System.nanoTime();
                try (ChatClient viewer = ChatClient.connect(node.url(path).replaceFirst("^http", "ws"), (String) null)) {
                    assertThat(viewer.closeCode).as("the socket from 127.0.0.1 stays open").isNotDone();
                }

                // A socket that goes away frees its place (the server notices the closed TCP connection).
                System.out.printf("[chat-limit] viewer from 127.0.0.1 connected in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                held.removeFirst().socket.close();
                long deadline = System.nanoTime() + 10_000_000_000L;
                Upgrade again;
                do {
                    again = Upgrade.open("127.0.0.2", port, path);
                    if (again.status != 101) {
                        again.socket.close();
                        Thread.sleep(100);
                    }
                } while (again.status != 101 && System.nanoTime() < deadline);
                assertThat(again.status).as(again.head).isEqualTo(101);
                System.out.printf("[chat-limit] place freed and reused %d ms after the close%n", (System.nanoTime() - t1) / 1_000_000);
                held.add(again);
            } finally {
                for (Upgrade u : held) u.socket.close();
            }
            assertThat(node.get("/metrics", null).body()).containsPattern("cascade_refusals_total\\{reason=\"chat_sockets_per_ip\"\\} [1-9]");
        }
    }

    /** A WebSocket upgrade written by hand on a socket bound to {@code from}; the socket stays open after a 101. */
    private record Upgrade(Socket socket, int status, String head, String body) {
        static Upgrade open(String from, int port, String path) {
            try {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                byte[] nonce = new byte[16];
                new java.security.SecureRandom().nextBytes(nonce);
                String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) break;
                    head.write(b);
                }
                String h = head.toString(StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(h.split(" ", 3)[1]);
                String body = "";
                if (status == 101) {
                    // The server counts a socket when it connects, and its first frame (hello) comes after that:
                    // reading it means this socket is counted.
                    body = readTextFrame(in);
                } else {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(h);
                    if (m.find()) {
                        body = new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
                    } else if (h.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                        // The first chunk is the whole problem document (a small body written at once).
                        StringBuilder size = new StringBuilder();
                        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) if (c != '\r') size.append((char) c);
                        body = new String(in.readNBytes(Integer.parseInt(size.toString().split(";")[0].strip(), 16)), StandardCharsets.UTF_8);
                    }
                }
                return new Upgrade(s, status, h, body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One unmasked server text frame (RFC 6455 5.2), payloads up to 64 KiB. */
        private static String readTextFrame(InputStream in) throws IOException {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) throw new IOException("the server closed the socket before its first frame");
            int length = second & 0x7F;
            if (length == 126) length = (in.read() << 8) | in.read();
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }
}
