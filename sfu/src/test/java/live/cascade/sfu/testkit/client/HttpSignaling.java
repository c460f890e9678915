package live.cascade.sfu.testkit.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP half of WHIP and WHEP for the packet client: POST the offer, keep the session URL from {@code Location},
 * DELETE it at the end. A WHEP POST that meets {@code 409} (the channel is not live yet) is retried until the timeout.
 */
final class HttpSignaling {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String bearer;
    private final Duration timeout;
    private URI session;
    private String answer;
    private java.util.List<String> links = java.util.List.of();

    private HttpSignaling(String bearer, Duration timeout) {
        this.bearer = bearer;
        this.timeout = timeout;
    }

    /**
     * POSTs {@code offer} to {@code endpoint} and returns the signaling with the answer and session URL.
     *
     * @param bearer the stream key (WHIP) or a token (WHEP), or null for none
     */
    static HttpSignaling post(URI endpoint, String bearer, String offer, Duration timeout) {
        HttpSignaling s = new HttpSignaling(bearer, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = s.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(offer)));
            if (r.statusCode() == 201) {
                String location = r.headers().firstValue("Location")
                        .orElseThrow(() -> new IllegalStateException("201 from " + endpoint + " without Location"));
                s.session = endpoint.resolve(location);
                s.answer = r.body();
                s.links = r.headers().allValues("Link");
                return s;
            }
            if (r.statusCode() != 409 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST " + endpoint + " answered " + r.statusCode() + ": " + r.body());
            }
            sleep(Duration.ofMillis(100));
        }
    }

    String answer() { return answer; }

    URI session() { return session; }

    /** The Link header values of the 201 (ICE servers, WHEP extensions). */
    java.util.List<String> links() { return links; }

    /** DELETEs the session resource and returns the status (200 when the node ended it). */
    int delete() {
        return send(HttpRequest.newBuilder(session).DELETE()).statusCode();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            return HTTP.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an HTTP request", e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
