package live.cascade.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error that ends a request with a problem document. Thrown by resources; turned into the response in one place
 * ({@link ProblemResponder}).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String type = "about:blank";

    public ApiException(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ApiException badRequest(String detail) { return new ApiException(400, "Bad Request", detail); }

    public static ApiException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().detail()
                : "The request has " + errors.size() + " invalid fields; see errors.";
        return new ApiException(400, "Invalid request", detail, errors);
    }

    public static ApiException invalidField(String field, String detail) {
        return invalid(List.of(new FieldError(field, detail)));
    }

    public static ApiException unauthorized(String detail) { return new ApiException(401, "Unauthorized", detail); }

    public static ApiException forbidden(String detail) { return new ApiException(403, "Forbidden", detail); }

    public static ApiException notFound(String detail) { return new ApiException(404, "Not Found", detail); }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(409, "Conflict", detail, List.of(new FieldError(field, detail)));
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, "Too Many Requests", detail).header("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Sets the problem type URI, for errors a client tells apart by more than the status (e.g. chat rejections). */
    public ApiException type(String uri) {
        this.type = uri;
        return this;
    }

    public String type() { return type; }

    public int status() { return status; }

    public String title() { return title; }

    public List<FieldError> errors() { return errors; }

    public Map<String, String> headers() { return headers; }
}
