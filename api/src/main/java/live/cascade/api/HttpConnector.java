package live.cascade.api;

import live.cascade.api.config.CascadeConfig;
import live.cascade.api.http.PemTls;
import live.cascade.api.http.RequestHeadTimeoutConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStore;

/**
 * The node's one HTTP(S) connector: TLS from the PEM files of {@code --tls-cert} and {@code --tls-key} when they are
 * set (with HSTS, which only this connector sends), plain HTTP otherwise; either way with the idle and request-head
 * timeouts and the per-address connection limit.
 */
final class HttpConnector {
    private final CascadeConfig config;
    private final KeyStore keyStore;

    private HttpConnector(CascadeConfig config, KeyStore keyStore) {
        this.config = config;
        this.keyStore = keyStore;
    }

    /** Reads the certificate and key first, so that a bad PEM file stops the start before anything else runs. */
    static HttpConnector of(CascadeConfig config) {
        if (!config.tlsEnabled()) return new HttpConnector(config, null);
        try {
            return new HttpConnector(config, PemTls.keyStore(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow()));
        } catch (PemTls.PemException e) {
            throw new CascadeServer.StartupException(e.getMessage(), e);
        }
    }

    /** @param connectionListener a {@code Connection.Listener} bean, which hears every connection of this connector */
    ServerConnector create(Server server, HttpConfiguration httpConfig, Object connectionListener) {
        ServerConnector c;
        if (keyStore != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(new String(PemTls.PASSWORD));
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false); // self-signed certificates for IPs and localhost are normal here
            // Only this connector speaks TLS, so HSTS can never go out over plain HTTP; Jetty adds it to every
            // response, its own error pages included.
            if (config.hsts().enabled()) {
                src.setStsMaxAge(config.hsts().maxAge().toSeconds());
                src.setStsIncludeSubDomains(config.hsts().includeSubdomains());
            }
            https.addCustomizer(src);
            c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new RequestHeadTimeoutConnectionFactory(https, config.httpIdleTimeout()));
        } else {
            c = new ServerConnector(server, new RequestHeadTimeoutConnectionFactory(httpConfig, config.httpIdleTimeout()));
        }
        c.setHost(config.httpHost());
        c.setPort(config.httpPort());
        c.setIdleTimeout(config.httpIdleTimeout().toMillis());
        c.addBean(connectionListener);
        return c;
    }
}
