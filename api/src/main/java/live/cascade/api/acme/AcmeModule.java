package live.cascade.api.acme;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.config.AcmeConfig;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node's automatic HTTPS: serves the stored certificate (or a self-signed stand-in until the CA's arrives) on the
 * HTTP port's TLS, obtains and renews it from the ACME CA on a thread of its own, and swaps it in place. A failure is
 * logged once per streak, retried with back-off, and shown in {@code /readyz} ({@code acme}) and {@code /metrics};
 * it never stops the node from serving.
 */
public final class AcmeModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeModule.class);

    /** Obtains one certificate; the real one is {@link AcmeOrderClient#order()}. */
    @FunctionalInterface
    interface Orderer {
        Issued order() throws AcmeException, IOException, InterruptedException, AcmeOrderClient.Failed;
    }

    /** Where the renewal stands: failures in a row, the last one, and when the next look is. */
    record State(int failures, Optional<AcmeFailure> lastFailure, Instant nextAttempt) {
    }

    private final AcmeConfig config;
    private final Clock clock;
    private final RenewalPolicy policy;
    private final AcmeStore store;
    private final Http01Responder responder;
    private final Orderer orderer;
    private final ServedCertificate served;
    private final Object lock = new Object();
    private volatile State state;
    private volatile ServerConnector challengeConnector;
    private volatile int httpsPort;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> pending;
    private Counter failureCount;
    private Counter issuedCount;

    AcmeModule(AcmeConfig config, AcmeStore store, Http01Responder responder, Orderer orderer, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.policy = new RenewalPolicy(config.renewBefore(), config.checkInterval());
        this.store = store;
        this.responder = responder;
        this.orderer = orderer;
        Instant now = clock.instant();
        Optional<Issued> stored;
        try {
            stored = store.certificate().filter(c -> c.covers(config.domains()) && now.isBefore(c.notAfter()));
        } catch (IOException e) {
            LOG.warn("ACME: ignoring the stored certificate ({}); a new one is ordered", e.getMessage());
            stored = Optional.empty();
        }
        this.served = stored.map(c -> new ServedCertificate(c, true))
                .orElseGet(() -> new ServedCertificate(ServedCertificate.placeholder(config.domains(), now), false));
        this.state = new State(0, Optional.empty(), stored.map(c -> policy.nextCheck(now, c.notAfter())).orElse(now));
    }

    /** The module when {@code --acme-domain} is set. A bad {@code --acme-ca-trust} file stops the start here. */
    public static Optional<AcmeModule> of(CascadeConfig config, Clock clock) {
        AcmeConfig acme = config.acme();
        if (!acme.enabled()) return Optional.empty();
        // acme4j signs its CSRs through the "BC" provider by name; added last, so no other lookup changes.
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
        AcmeStore store = new AcmeStore(config.dataDir());
        Http01Responder responder = new Http01Responder(acme.domains());
        AcmeOrderClient client = new AcmeOrderClient(acme, store, responder);
        return Optional.of(new AcmeModule(acme, store, responder, client::order, clock));
    }

    /** The TLS of the HTTP port: one factory for the node's life, reloaded in place on renewal. */
    public SslContextFactory.Server sslContextFactory() {
        return served.factory();
    }

    /** The port the plain-HTTP challenge connector is to bind ({@code --acme-http-port}). */
    public int httpPort() {
        return config.httpPort();
    }

    /** Keeps the challenge connector, whose bound port tells the redirect which requests came in on plain HTTP. */
    public ServerConnector challengeConnector(ServerConnector connector) {
        this.challengeConnector = connector;
        return connector;
    }

    /** The bound port of the challenge connector, once it listens. */
    public int challengePort() {
        ServerConnector c = challengeConnector;
        return c == null ? 0 : c.getLocalPort();
    }

    public void routes(JavalinConfig cfg) {
        responder.routes(cfg, this::challengePort, () -> httpsPort, served::fromCa);
    }

    public void bindMetrics(MeterRegistry metrics) {
        Gauge.builder("cascade_tls_certificate_expiry_seconds", this,
                        m -> Duration.between(m.clock.instant(), m.served.current().notAfter()).toSeconds())
                .description("Seconds until the certificate the HTTPS port serves expires (negative: expired)").register(metrics);
        Gauge.builder("cascade_acme_certificate_from_ca", this, m -> m.served.fromCa() ? 1 : 0)
                .description("1 when the served certificate came from the ACME CA, 0 while a self-signed stand-in is served").register(metrics);
        failureCount = Counter.builder("cascade_acme_failures_total").description("Failed attempts to obtain a certificate over ACME").register(metrics);
        issuedCount = Counter.builder("cascade_acme_certificates_total").description("Certificates obtained over ACME and put in service").register(metrics);
    }

    /** Starts the renewal thread; the first look is at once without a certificate from the CA. */
    public void start(int httpsPort) {
        this.httpsPort = httpsPort;
        synchronized (lock) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "acme-renewal");
                t.setDaemon(true);
                return t;
            });
            schedule(state.nextAttempt());
        }
    }

    /** Orders a certificate now, whether or not one is due (an operator's "renew now", and the tests). */
    public CompletableFuture<X509Certificate> renewNow() {
        CompletableFuture<X509Certificate> done = new CompletableFuture<>();
        synchronized (lock) {
            if (timer == null || timer.isShutdown()) {
                done.completeExceptionally(new IllegalStateException("ACME is not running"));
                return done;
            }
            if (pending != null) pending.cancel(false);
            pending = timer.schedule(() -> {
                boolean ok = attempt();
                synchronized (lock) {
                    // The forced attempt replaced the planned look: plan the next one from its outcome.
                    if (pending != null) pending.cancel(false);
                    if (!timer.isShutdown()) schedule(state.nextAttempt());
                }
                if (ok) done.complete(served.current().leaf());
                else done.completeExceptionally(new IllegalStateException(state.lastFailure().map(AcmeFailure::detail).orElse("failed")));
            }, 0, TimeUnit.MILLISECONDS);
        }
        return done;
    }

    public X509Certificate servedCertificate() {
        return served.current().leaf();
    }

    State state() {
        return state;
    }

    /** One scheduled look: orders when there is no CA certificate or it is due, else only plans the next look. */
    void check() {
        Instant now = clock.instant();
        Issued current = served.current();
        if (served.fromCa() && current.covers(config.domains()) && !policy.due(now, current.notAfter())) {
            state = new State(0, Optional.empty(), policy.nextCheck(now, current.notAfter()));
            return;
        }
        attempt();
    }

    /** Orders a certificate and serves it; on failure records it and plans the retry. Whether it worked. */
    boolean attempt() {
        AcmeFailure failure;
        try {
            Issued issued = orderer.order();
            try {
                store.saveCertificate(issued);
            } catch (IOException e) {
                // Still served: losing the file costs a new order at the next start, not HTTPS now.
                LOG.warn("ACME: cannot store the new certificate under {}: {}", store.certificateFile(), e.getMessage());
            }
            served.swap(issued);
            if (issuedCount != null) issuedCount.increment();
            Instant now = clock.instant();
            if (state.failures() > 0) LOG.info("ACME works again after {} failed attempt(s)", state.failures());
            state = new State(0, Optional.empty(), policy.nextCheck(now, issued.notAfter()));
            LOG.info("ACME: serving a certificate for {} from {}, valid until {}; next check {}", config.domains(),
                    issued.leaf().getIssuerX500Principal().getName(), issued.notAfter(), state.nextAttempt());
            return true;
        } catch (AcmeException e) {
            failure = AcmeFailure.of(e);
        } catch (AcmeOrderClient.Failed e) {
            failure = e.failure;
        } catch (IOException e) {
            failure = new AcmeFailure(AcmeFailure.Kind.STORAGE, "cannot read or write the ACME account key under "
                    + store.certificateFile().getParent() + ": " + e.getMessage(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            failure = new AcmeFailure(AcmeFailure.Kind.REFUSED, "ACME failed: " + AcmeFailure.rootMessage(e), Optional.empty());
        }
        failed(failure);
        return false;
    }

    private void failed(AcmeFailure failure) {
        Instant now = clock.instant();
        State before = state;
        int failures = before.failures() + 1;
        state = new State(failures, Optional.of(failure), policy.retryAt(now, failures, failure.retryAfter()));
        if (failureCount != null) failureCount.increment();
        // Once per streak (and when the reason changes), not once per retry: a CA that is down for a day would
        // otherwise fill the log.
        boolean news = before.lastFailure().map(f -> f.kind() != failure.kind() || !f.detail().equals(failure.detail())).orElse(true);
        if (news) {
            LOG.warn("ACME: no certificate for {}: {}. Retrying from {} with back-off; the node keeps serving with {}", config.domains(),
                    failure.detail(), state.nextAttempt(), served.fromCa() ? "its current certificate" : "a self-signed stand-in");
        } else {
            LOG.debug("ACME: attempt {} failed again: {}", failures, failure.detail());
        }
    }

    private void schedule(Instant at) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        pending = timer.schedule(this::runScheduled, delay, TimeUnit.MILLISECONDS);
    }

    private void runScheduled() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("ACME: the renewal check failed", e);
            failed(new AcmeFailure(AcmeFailure.Kind.REFUSED, "the renewal check failed: " + e, Optional.empty()));
        }
        synchronized (lock) {
            if (!timer.isShutdown()) schedule(state.nextAttempt());
        }
    }

    public ReadinessComponent readiness() {
        return new ReadinessComponent() {
            @Override
            public String name() {
                return "acme";
            }

            @Override
            public Readiness check() {
                return AcmeModule.this.readinessNow();
            }
        };
    }

    Readiness readinessNow() {
        Instant now = clock.instant();
        State s = state;
        Issued current = served.current();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domains", config.domains());
        details.put("fromCa", served.fromCa());
        details.put("notAfter", current.notAfter().toString());
        details.put("expiresInSeconds", Duration.between(now, current.notAfter()).toSeconds());
        details.put("nextAttempt", s.nextAttempt().toString());
        details.put("failures", s.failures());
        s.lastFailure().ifPresent(f -> details.put("lastFailure", f.kind().name().toLowerCase(java.util.Locale.ROOT)));
        String serving = served.fromCa() ? "serving the CA's certificate until " + current.notAfter()
                : "serving a self-signed stand-in until the CA's certificate arrives";
        if (served.fromCa() && !now.isBefore(current.notAfter())) {
            return new Readiness.Down("The certificate expired at " + current.notAfter() + " and could not be renewed"
                    + s.lastFailure().map(f -> ": " + f.detail()).orElse(""), details);
        }
        if (s.lastFailure().isPresent()) {
            return new Readiness.Degraded(s.lastFailure().get().detail() + "; retrying at " + s.nextAttempt() + "; " + serving, details);
        }
        if (!served.fromCa()) return new Readiness.Degraded("Obtaining the first certificate from " + config.directory() + "; " + serving, details);
        return new Readiness.Ok("Certificate from " + current.leaf().getIssuerX500Principal().getName() + ", " + serving, details);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (timer != null) timer.shutdownNow();
        }
    }
}
