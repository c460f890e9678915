package live.cascade.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.eclipse.jetty.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The problem documents for errors Jetty raises before any route runs, in the shape {@link ProblemResponder} writes,
 * each with a detail that tells the client what to change. Jetty's own reason (e.g. "Bad UTF-8 encoding") is kept in
 * the detail: it names what was wrong and holds no request bytes.
 */
final class JettyProblems {
    private JettyProblems() {
    }

    static byte[] body(int status, String jettyReason, Duration idleTimeout) {
        Problem p = new Problem("about:blank", title(status), status, detail(status, jettyReason, idleTimeout), null);
        try {
            return Json.MAPPER.writeValueAsString(p).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> {
                String m = HttpStatus.getMessage(status);
                yield m == null || m.isEmpty() ? "Error " + status : m;
            }
        };
    }

    private static String detail(int status, String reason, Duration idleTimeout) {
        String because = reason == null || reason.isBlank() || reason.equals(HttpStatus.getMessage(status)) ? "" : " (" + reason + ")";
        return switch (status) {
            case 400 -> "The request is malformed" + because + ": send a valid HTTP/1.1 request line and headers, "
                    + "with the URI percent-encoded as UTF-8.";
            case 408 -> "The rest of the request did not arrive within " + idleTimeout.toSeconds()
                    + " s, so the connection is closed; send each request whole, without pauses.";
            case 413 -> "The request body is larger than this server accepts; send a smaller one.";
            case 414 -> "The URI is longer than this server accepts; shorten the path or the query string.";
            case 431 -> "The request headers are larger than this server accepts (often too many or too large cookies); "
                    + "send fewer or smaller headers, or clear this site's cookies.";
            default -> status >= 500
                    ? "The server failed to handle this request; it has been logged. Try again later."
                    : "The server refused this request" + because + ".";
        };
    }
}
