package live.cascade.api;

import live.cascade.api.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** HTTP helpers for a node by base URL: a {@link TestNode} in this JVM, or one in another process. */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final HttpClient http;

    public ApiClient(String base) {
        this(base, HTTP);
    }

    /** With a client of the caller's: a {@link TestNode} keeps its connections to itself. */
    ApiClient(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public String url(String path) {
        return base + path;
    }

    public TestNode.Response send(String method, String path, String token, Object jsonBody, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(15));
        String body = null;
        if (jsonBody != null) {
            try {
                body = jsonBody instanceof String s ? s : Json.MAPPER.writeValueAsString(jsonBody);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            b.header("Content-Type", "application/json");
        }
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            // Expect is the client's to send (a restricted header): asking for it sends the headers first and the
            // body only after 100 Continue, so a server refusing from the declared length answers before it leaves.
            if (headers[i].equalsIgnoreCase("Expect") && headers[i + 1].equalsIgnoreCase("100-continue")) b.expectContinue(true);
            else b.setHeader(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new TestNode.Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public TestNode.Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    public TestNode.Response post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public TestNode.Response put(String path, String token, Object body) {
        return send("PUT", path, token, body == null ? "{}" : body);
    }

    public TestNode.Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** Signs up a fresh user. */
    public TestNode.Account signup(String username) {
        String password = "battery staple " + UUID.randomUUID();
        TestNode.Response r = post("/api/auth/signup", null, Map.of("username", username, "email", username + "@example.org", "password", password));
        if (r.status() != 201) throw new AssertionError("signup failed: " + r.status() + " " + r.body());
        return new TestNode.Account(r.json().at("/user/id").asLong(), username, r.json().at("/token").asText(), password);
    }

    /** Creates a channel owned by {@code owner} and returns its id. */
    public long createChannel(TestNode.Account owner, String slug) {
        TestNode.Response r = post("/api/channels", owner.token(), Map.of("slug", slug, "title", "Chat " + slug, "category", "Testing"));
        if (r.status() != 201) throw new AssertionError("channel create failed: " + r.status() + " " + r.body());
        return r.json().at("/id").asLong();
    }
}
