package live.cascade.api.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import java.security.KeyStore;

/**
 * The certificate the node's TLS listeners present, and the one way it changes: a key store swapped in place. The
 * HTTP port holds one Jetty {@link SslContextFactory.Server} for the node's life and {@link #swap} reloads it, so
 * handshakes after a swap get the new certificate while connections already open keep the session they negotiated and
 * the listener never closes. ACME renewals and the operator's PEM files (re-read on SIGHUP) both come through here.
 * RTMPS asks {@link #nettyContext()} per connection and so follows the same swaps.
 */
public final class SwappableTls {
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final char[] password;
    private volatile KeyStore current;
    // RTMPS's context and the key store it was built from: rebuilt only after a swap, not per connection.
    private volatile Built netty;

    private record Built(KeyStore from, SslContext context) {
    }

    /** @param password the password of the key entry in {@code initial} and in every key store swapped in later */
    public SwappableTls(KeyStore initial, char[] password) {
        this.password = password.clone();
        factory.setKeyStore(initial);
        factory.setKeyStorePassword(new String(password));
        this.current = initial;
    }

    /** The HTTP port's TLS; the same object for the node's life. */
    public SslContextFactory.Server factory() {
        return factory;
    }

    /** Serves {@code keyStore} from the next handshake on; a failure leaves the previous one in service. */
    public synchronized void swap(KeyStore keyStore) throws Exception {
        // With RTMPS in use its context is made first, so a key store it cannot take changes nothing anywhere.
        Built rtmps = netty == null ? null : new Built(keyStore, build(keyStore));
        if (factory.isStarted()) factory.reload(f -> f.setKeyStore(keyStore));
        else factory.setKeyStore(keyStore);
        current = keyStore;
        if (rtmps != null) netty = rtmps;
    }

    /** The current certificate for a Netty listener (RTMPS), built again only after a swap. */
    public SslContext nettyContext() {
        Built b = netty;
        KeyStore ks = current;
        if (b != null && b.from() == ks) return b.context();
        synchronized (this) {
            ks = current;
            if (netty == null || netty.from() != ks) {
                try {
                    netty = new Built(ks, build(ks));
                } catch (Exception e) {
                    throw new IllegalStateException("RTMPS cannot use the node's certificate: " + e.getMessage(), e);
                }
            }
            return netty.context();
        }
    }

    private SslContext build(KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return SslContextBuilder.forServer(kmf).build();
    }
}
