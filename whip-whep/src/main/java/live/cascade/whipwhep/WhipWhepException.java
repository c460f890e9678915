package live.cascade.whipwhep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WHIP/WHEP request that ends in an error status. The api module turns it into an RFC 9457 problem document, the
 * same way as every other error of the HTTP API; the headers (Accept, Retry-After, WWW-Authenticate) go with it.
 */
public final class WhipWhepException extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public WhipWhepException(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public WhipWhepException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }

    public String title() { return title; }

    public Map<String, String> headers() { return headers; }
}
