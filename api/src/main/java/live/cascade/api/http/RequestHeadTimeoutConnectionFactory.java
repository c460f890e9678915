package live.cascade.api.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 connections that answer 408 (a problem document) when the idle timeout strikes half-way through a request
 * head. Jetty closes such a connection without a word, because no request exists yet for its error handler; a client
 * then cannot tell a slow upload of its headers from a crash. A connection idle between requests still closes silently.
 */
public final class RequestHeadTimeoutConnectionFactory extends HttpConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeoutConnectionFactory.class);

    private final ByteBuffer response;

    public RequestHeadTimeoutConnectionFactory(HttpConfiguration config, Duration idleTimeout) {
        super(config);
        byte[] body = JettyProblems.body(408, null, idleTimeout);
        byte[] head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: " + Problem.MEDIA_TYPE + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        this.response = b.asReadOnlyBuffer();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection c = new HeadTimeoutConnection(getHttpConfiguration(), connector, endPoint);
        c.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(c, connector, endPoint);
    }

    private final class HeadTimeoutConnection extends HttpConnection {
        HeadTimeoutConnection(HttpConfiguration config, Connector connector, EndPoint endPoint) {
            super(config, connector, endPoint);
        }

        @Override
        public boolean onIdleExpired(TimeoutException timeout) {
            HttpParser parser = getParser();
            if (parser.isStart() || !parser.inHeaderState()) return super.onIdleExpired(timeout);
            LOG.debug("request head from {} incomplete after the idle timeout -> 408", getEndPoint().getRemoteSocketAddress());
            EndPoint endPoint = getEndPoint();
            // Closed once the answer is written (or could not be): the request it answers will never complete.
            endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()), response.duplicate());
            return false;
        }
    }
}
