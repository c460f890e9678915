package live.cascade.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP half of one load viewer: POST the offer to the WHEP endpoint (again while the channel answers 409, not
 * live yet, and after the node's {@code Retry-After} while it answers 429, as a player would: a node with its default
 * limits admits ten joins still connecting per address), keep the session URL, DELETE it when the viewer leaves. One
 * {@link HttpClient} serves every viewer.
 */
final class WhepSession {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** POSTs the node answered 429 over the run (each retried after its Retry-After). */
    static final LongAdder THROTTLED = new LongAdder();

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
            boolean retry = r.statusCode() == 409 || r.statusCode() == 429;
            if (!retry || System.nanoTime() > deadline) {
                throw new IOException("POST " + endpoint + " answered " + r.statusCode() + ": " + r.body());
            }
            long waitMillis = 200;
            if (r.statusCode() == 429) {
                THROTTLED.increment();
                waitMillis = r.headers().firstValue("Retry-After").map(WhepSession::seconds).orElse(1L) * 1000;
            }
            Thread.sleep(Math.max(50, Math.min(waitMillis, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** A Retry-After in seconds (RFC 9110 10.2.3; the node sends seconds, never a date): 1 when unreadable. */
    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return 1;
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
