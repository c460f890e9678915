package live.cascade.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP half of one load viewer: POST the offer to the WHEP endpoint (again while the channel answers 409, not
 * live yet), keep the session URL, DELETE it when the viewer leaves. One {@link HttpClient} serves every viewer.
 */
final class WhepSession {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI session;
    private final String answer;

    private WhepSession(URI session, String answer) {
        this.session = session;
        this.answer = answer;
    }

    /** POSTs {@code offer}; a failure names the status and the node's problem detail. */
    static WhepSession open(URI endpoint, String offer, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
                String location = r.headers().firstValue("Location")
                        .orElseThrow(() -> new IOException("201 from " + endpoint + " without Location"));
                return new WhepSession(endpoint.resolve(location), r.body());
            }
            if (r.statusCode() != 409 || System.nanoTime() > deadline) {
                throw new IOException("POST " + endpoint + " answered " + r.statusCode() + ": " + r.body());
            }
            Thread.sleep(200);
        }
    }

    String answer() { return answer; }

    /** Ends the session on the node; the status (200 when it ended one). */
    int delete() {
        try {
            return HTTP.send(HttpRequest.newBuilder(session).timeout(Duration.ofSeconds(10)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
