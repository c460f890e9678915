package live.cascade.api.harness;

import com.microsoft.playwright.Response;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one failed load a browser test forgives on the media URLs: a DELETE of a WHEP or WHIP session that the node
 * had ended while the DELETE was on its way (the broadcast ended, the publisher's grace ran out). The client could not
 * know: it DELETEs only sessions whose end it has not been told of, and it closes its connection only after the
 * answer (see the web app's session-end.js), so its own close_notify never ends the session first. The node's 404 is
 * right by RFC 9725 and Chromium logs it as "Failed to load resource", and the console message does not say which
 * method failed, so the responses are watched: the message is forgiven only when every 404 on that session URL
 * answered a DELETE. A client that raced its own close_notify again would be forgiven here too, which is why
 * {@code SessionTeardownBrowserTest} asserts on the DELETE answers themselves.
 */
final class EndedSessionDeletes {
    static final Pattern SESSION_URL = Pattern.compile("https?://[^/]+/api/(whip/[^/?#]+|whep/[^/?#]+/[^/?#]+)");
    /** A console error as {@link Chromium} words it; group 1 is the URL that failed (Chromium adds ":line:column"). */
    static final Pattern FAILED_404 = Pattern.compile(
            "Failed to load resource: the server responded with a status of 404 \\(Not Found\\) \\((\\S+?)(?::\\d+:\\d+)?\\)$");

    /** Per session URL answered 404: whether any of those 404s answered something other than a DELETE. */
    private final Map<String, Boolean> notOnlyDeletes = new HashMap<>();

    /** Hears every response of a watched page. */
    synchronized void record(Response response) {
        if (response.status() != 404 || !SESSION_URL.matcher(response.url()).matches()) return;
        boolean delete = "DELETE".equals(response.request().method());
        notOnlyDeletes.merge(response.url(), !delete, Boolean::logicalOr);
    }

    /** True when `error` is the console's report of such a DELETE and of nothing else. */
    synchronized boolean forgives(String error) {
        Matcher m = FAILED_404.matcher(error);
        return m.find() && Boolean.FALSE.equals(notOnlyDeletes.get(m.group(1)));
    }
}
