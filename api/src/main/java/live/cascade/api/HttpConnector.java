package live.cascade.api;

import live.cascade.api.acme.AcmeModule;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.http.PemTls;
import live.cascade.api.http.TlsFiles;
import live.cascade.api.http.RequestHeadTimeoutConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The node's one HTTP(S) connector: TLS from the PEM files of {@code --tls-cert} and {@code --tls-key} when they are
 * set (with HSTS, which only this connector sends), plain HTTP otherwise; either way with the idle and request-head
 * timeouts and the per-address connection limit. The files are read again on SIGHUP ({@link TlsFiles#reload}). With
 * ACME the TLS is the {@link AcmeModule}'s, whose certificate a renewal swaps in place, and a second, plain connector
 * answers the CA's HTTP-01 challenges. Both swap through the one {@link live.cascade.api.http.SwappableTls}.
 */
final class HttpConnector {
    private final CascadeConfig config;
    private final TlsFiles files;
    private final AcmeModule acme;

    private HttpConnector(CascadeConfig config, TlsFiles files, AcmeModule acme) {
        this.config = config;
        this.files = files;
        this.acme = acme;
    }

    /** Reads the certificate and key first, so that a bad PEM file stops the start before anything else runs. */
    static HttpConnector of(CascadeConfig config, Optional<AcmeModule> acme, Clock clock) {
        if (acme.isPresent()) return new HttpConnector(config, null, acme.get());
        if (!config.tlsEnabled()) return new HttpConnector(config, null, null);
        try {
            return new HttpConnector(config, TlsFiles.open(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow(), clock), null);
        } catch (PemTls.PemException e) {
            throw new CascadeServer.StartupException(e.getMessage(), e);
        }
    }

    /** The operator's PEM files, when the node serves them (not with ACME, not over plain HTTP). */
    Optional<TlsFiles> files() {
        return Optional.ofNullable(files);
    }

    /** @param connectionListener a {@code Connection.Listener} bean, which hears every connection of this connector */
    ServerConnector create(Server server, HttpConfiguration httpConfig, Object connectionListener) {
        ServerConnector c;
        if (files != null || acme != null) {
            SslContextFactory.Server ssl = acme != null ? acme.sslContextFactory() : files.tls().factory();
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
