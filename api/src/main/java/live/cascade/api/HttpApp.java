package live.cascade.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import live.cascade.api.acme.AcmeModule;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.CredentialLimits;
import live.cascade.api.auth.OriginGuard;
import live.cascade.api.auth.ScopeGuard;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.ConnectionsPerAddress;
import live.cascade.api.http.DeclaredBodyLimit;
import live.cascade.api.http.HttpObservability;
import live.cascade.api.http.Json;
import live.cascade.api.http.ProblemErrorHandler;
import live.cascade.api.http.ProblemResponder;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.util.List;
import java.util.Optional;

/**
 * The node's HTTP server: Javalin on our own connector (and the ACME challenge port when automatic HTTPS is on), the
 * request filters in the order they must run, then every resource's routes in the order given.
 */
final class HttpApp {
    private HttpApp() {}

    /** Something that adds routes: a resource or a module. */
    @FunctionalInterface
    interface Routes {
        void routes(JavalinConfig cfg);
    }

    /** What every request passes before a resource sees it. */
    record Filters(ConnectionsPerAddress connectionLimit, HttpObservability observability, DatabaseOutage outage,
                   ClientAddress clientAddress, CredentialLimits credentialLimits, Authenticator authenticator) {
    }

    static Javalin create(CascadeConfig config, HttpConnector connector, Optional<AcmeModule> acme, Filters filters,
                          List<Routes> resources) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxBodySize();
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            cfg.jetty.modifyServer(server -> {
                // In-flight requests finish on stop (SIGTERM) before the database is closed.
                server.setStopTimeout(config.shutdownGrace().toMillis());
                server.setHandler(new GracefulHandler());
                // Jetty's own errors (431, 414, a URI that is not UTF-8, …) as problem documents, not HTML.
                server.setErrorHandler(new ProblemErrorHandler(config.httpIdleTimeout()));
            });
            // Our own connector either way (Javalin adds a plain one only when none is given), so both kinds get the
            // idle timeout.
            cfg.jetty.addConnector((server, httpConfig) -> connector.create(server, httpConfig, filters.connectionLimit()));
            acme.ifPresent(a -> {
                cfg.jetty.addConnector((server, httpConfig) -> connector.acmeChallenge(server, httpConfig, filters.connectionLimit()));
                a.routes(cfg); // before the other filters: the plain port's redirect and challenges need no session
            });
            cfg.requestLogger.http(filters.observability()::onRequestDone);
            ProblemResponder.install(cfg, filters.outage());
            filters.clientAddress().install(cfg);
            filters.connectionLimit().install(cfg);
            DeclaredBodyLimit.install(cfg, config.maxBodySize());
            OriginGuard.install(cfg);
            filters.credentialLimits().install(cfg);
            ScopeGuard.install(cfg, filters.authenticator());
            for (Routes r : resources) r.routes(cfg);
        });
    }
}
