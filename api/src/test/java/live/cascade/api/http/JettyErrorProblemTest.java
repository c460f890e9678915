package live.cascade.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors Jetty raises itself, before any route runs (an oversized header or URI, a URI that is not UTF-8, a body
 * declared too large, a client that stops half-way through its headers), are problem documents like every other
 * error. Sent byte for byte on a raw socket, since an HTTP client library refuses to send most of these.
 */
@Timeout(60)
class JettyErrorProblemTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode("--http-idle-timeout", "2s", "--max-body-size", "4096");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    record RawResponse(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    @Test
    void headersTooLargeIs431() throws IOException {
        assertProblem(exchange("GET /api/channels HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n"), 431);
    }

    @Test
    void uriTooLongIs414() throws IOException {
        assertProblem(exchange("GET /api/" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    }

    @Test
    void uriThatIsNotUtf8Is400() throws IOException {
        assertProblem(exchange("GET /api/channels/%C3%28%FF HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    }

    @Test
    void malformedRequestLineIs400() throws IOException {
        assertProblem(exchange("GET /api/channels HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n"), 400);
    }

    @Test
    void aBodyDeclaredOverTheLimitIs413BeforeItIsRead() throws IOException {
        // Without the early check the node waits for the body until the idle timeout and answers 408.
        assertProblem(exchange("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000000\r\n\r\n{"), 413);
    }

    @Test
    void aClientThatStopsHalfWayThroughItsBodyGets408() throws IOException {
        assertProblem(exchange("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"login\":"), 408);
    }

    @Test
    void aClientThatStopsHalfWayThroughItsHeadersGets408() throws IOException {
        RawResponse r = exchange("GET /api/channels HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        assertProblem(r, 408);
    }

    static void assertProblem(RawResponse r, int status) throws IOException {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).as(r.toString()).startsWith(Problem.MEDIA_TYPE);
        JsonNode json = r.json();
        assertThat(json.at("/status").asInt()).isEqualTo(status);
        assertThat(json.at("/type").asText()).isEqualTo("about:blank");
        assertThat(json.at("/title").asText()).isNotBlank();
        assertThat(json.at("/detail").asText()).as("a detail a person can act on").hasSizeGreaterThan(20);
    }

    /** Writes the request as it is, reads one response until the server closes or the body is complete. */
    static RawResponse exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", node.server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything we send; the answer is what counts.
            }
            return read(s.getInputStream());
        }
    }

    private static RawResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int headerEnd = -1;
        int contentLength = -1;
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    var m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, headerEnd));
                    if (m.find()) contentLength = Integer.parseInt(m.group(1));
                }
                if (headerEnd >= 0 && contentLength >= 0 && buf.size() >= headerEnd + 4 + contentLength) break;
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            if (buf.size() == 0) throw e;
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a complete response head in: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if (contentLength >= 0 && body.length() > contentLength) body = body.substring(0, contentLength);
        return new RawResponse(status, headers, body);
    }
}
