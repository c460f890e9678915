package live.cascade.api.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * One TCP connection attempt to a node's announced HTTP base, to tell a process that has exited (its host answers the
 * SYN with a reset: nothing listens on that port any more) from one that is slow (the kernel completes the handshake
 * for a paused process too). Nothing is sent; the connection is closed at once.
 */
public final class ListenerProbe {
    private ListenerProbe() {}

    /**
     * True only when the connection is refused. An accepted connection, a timeout, an unreachable host, a name that
     * does not resolve or a URL without a host all say "not known to be gone".
     */
    public static boolean refused(String httpUrl, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(httpUrl);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null) return false;
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, timeout.toMillis()));
            return false;
        } catch (ConnectException e) {
            // ECONNREFUSED only; "Network is unreachable" and the like are ConnectExceptions too, and say nothing.
            String m = e.getMessage();
            return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("refused");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
