package live.cascade.api.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Jetty's error handler, answering RFC 9457 problem documents instead of its HTML page: for what Jetty rejects itself
 * (a header block or URI too large, a URI that is not UTF-8, a malformed request line), which never reaches
 * {@link ProblemResponder}. Each is logged once, at debug, as ProblemResponder logs client errors.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final Duration idleTimeout;

    public ProblemErrorHandler(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** Every method gets the document, not only GET and POST (Jetty's default leaves the others bodiless). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        LOG.debug("{} {} -> {} from Jetty: {}", request.getMethod(), request.getHttpURI().getPath(), code, message);
        byte[] body = JettyProblems.body(code, message, idleTimeout);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** What Jetty answers to a request it could not even parse (431, 414, a bad request line). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        LOG.debug("unparseable request -> {} from Jetty: {}", status, reason);
        fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return ByteBuffer.wrap(JettyProblems.body(status, reason, idleTimeout));
    }
}
