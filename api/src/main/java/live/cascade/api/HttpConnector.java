package live.cascade.api;

import live.cascade.api.acme.AcmeModule;
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
import java.util.Optional;

/**
 * The node's one HTTP(S) connector: TLS from the PEM files of {@code --tls-cert} and {@code --tls-key} when they are
 * set (with HSTS, which only this connector sends), plain HTTP otherwise; either way with the idle and request-head
 * timeouts and the per-address connection limit. With ACME the TLS is the {@link AcmeModule}'s, whose certificate a
 * renewal swaps in place, and a second, plain connector answers the CA's HTTP-01 challenges.
 */
final class HttpConnector {
    private final CascadeConfig config;
    private final KeyStore keyStore;
    private final AcmeModule acme;

    private HttpConnector(CascadeConfig config, KeyStore keyStore, AcmeModule acme) {
        this.config = config;
        this.keyStore = keyStore;
        this.acme = acme;
    }

    /** Reads the certificate and key first, so that a bad PEM file stops the start before anything else runs. */
    static HttpConnector of(CascadeConfig config, Optional<AcmeModule> acme) {
        if (acme.isPresent()) return new HttpConnector(config, null, acme.get());
        if (!config.tlsEnabled()) return new HttpConnector(config, null, null);
        try {
            return new HttpConnector(config, PemTls.keyStore(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow()), null);
        } catch (PemTls.PemException e) {
            throw new CascadeServer.StartupException(e.getMessage(), e);
        }
    }

    /** @param connectionListener a {@code Connection.Listener} bean, which hears every connection of this connector */
    ServerConnector create(Server server, HttpConfiguration httpConfig, Object connectionListener) {
        ServerConnector c;
        if (keyStore != null || acme != null) {
            SslContextFactory.Server ssl = acme != null ? acme.sslContextFactory() : new SslContextFactory.Server();
            if (acme == null) {
                ssl.setKeyStore(keyStore);
                ssl.setKeyStorePassword(new String(PemTls.PASSWORD));
            }
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

    /** The plain-HTTP connector of the ACME challenges ({@code --acme-http-port}), with the same limits. */
    ServerConnector acmeChallenge(Server server, HttpConfiguration httpConfig, Object connectionListener) {
        ServerConnector c = new ServerConnector(server, new RequestHeadTimeoutConnectionFactory(httpConfig, config.httpIdleTimeout()));
        c.setHost(config.httpHost());
        c.setPort(acme.httpPort());
        c.setIdleTimeout(config.httpIdleTimeout().toMillis());
        c.addBean(connectionListener);
        return acme.challengeConnector(c);
    }
}
