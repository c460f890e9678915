package live.cascade.api.http;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cap on HTTP connections one address holds open, against a real node: keep-alive connections from 127.0.0.2 up
 * to the cap are served, the next one's requests get 429 and it is closed, 127.0.0.1 is unaffected, and closing one
 * frees a place.
 */
class ConnectionsPerAddressTest {
    private static final int CAP = 3;

    @Test
    void connectionsPastAnAddressesCapGet429WhileOtherAddressesAreServed() throws Exception {
        try (TestNode node = new TestNode("--connections-per-ip", Integer.toString(CAP))) {
            int port = node.server.port();
            List<KeepAlive> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    KeepAlive c = KeepAlive.open("127.0.0.2", port);
                    held.add(c);
                    assertThat(c.get("/livez").status()).isEqualTo(200);
                }
                KeepAlive over = KeepAlive.open("127.0.0.2", port);
                Response refused = over.get("/livez");
                assertThat(refused.status()).as(refused.body()).isEqualTo(429);
                assertThat(refused.header("Retry-After")).isNotNull();
                assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.json().at("/detail").asText()).contains("connections open");
                assertThat(over.closedByServer()).as("the connection past the cap is closed after its answer").isTrue();

                assertThat(node.get("/livez", null).status()).as("127.0.0.1 is served").isEqualTo(200);
                assertThat(held.getFirst().get("/livez").status()).as("connections within the cap keep working").isEqualTo(200);

                held.removeFirst().socket.close();
                long deadline = System.nanoTime() + 10_000_000_000L;
                // The server hears the close asynchronously; until then a new connection is still past the cap.
                KeepAlive refill;
                int status;
                do {
                    refill = KeepAlive.open("127.0.0.2", port);
                    status = refill.get("/livez").status();
                    if (status != 200) {
                        refill.close();
                        Thread.sleep(100);
                    }
                } while (status != 200 && System.nanoTime() < deadline);
                held.add(refill);
                assertThat(status).as("a closed connection frees its place").isEqualTo(200);
                assertThat(refill.get("/livez").status()).as("and the new one stays served").isEqualTo(200);
            } finally {
                for (KeepAlive c : held) c.close();
            }
            assertThat(node.get("/metrics", null).body()).containsPattern("cascade_refusals_total\\{reason=\"connections_per_ip\"\\} [1-9]");
        }
    }

    /** One persistent HTTP/1.1 connection from a chosen local address; requests go one after another on it. */
    private record KeepAlive(Socket socket, int port) implements AutoCloseable {
        static KeepAlive open(String from, int port) throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            return new KeepAlive(s, port);
        }

        Response get(String path) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed before a response: " + head);
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            java.util.Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            String[] lines = h.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
            String body = "";
            Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(h);
            if (m.find()) {
                body = new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
            } else if (h.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder all = new StringBuilder();
                while (true) {
                    StringBuilder size = new StringBuilder();
                    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) if (c != '\r') size.append((char) c);
                    int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
                    if (n == 0) {
                        in.readNBytes(2);
                        break;
                    }
                    all.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                    in.readNBytes(2);
                }
                body = all.toString();
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }

        /** Whether the server has closed its side (a read ends the stream). */
        boolean closedByServer() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
