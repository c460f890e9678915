package live.cascade.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own certificate ({@code --tls-cert}, {@code --tls-key}), served through {@link SwappableTls} and read
 * again on {@link #reload()} (the node's SIGHUP). Files that cannot be used (unreadable, a key that is not the
 * certificate's, a certificate outside its validity dates) are refused with one log line and counted; the certificate
 * already served stays, and {@code /readyz} ({@code tls}) says so until a reload succeeds.
 */
public final class TlsFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

    /** A reload that was refused: when, and the sentence the log and {@code /readyz} give. */
    public record Refusal(Instant at, String reason) {
    }

    private final Path certFile;
    private final Path keyFile;
    private final Clock clock;
    private final SwappableTls tls;
    private volatile X509Certificate served;
    private volatile Instant loadedAt;
    private volatile Optional<Refusal> refusal = Optional.empty();
    private volatile long reloads;
    private volatile long refusals;
    private Counter reloadedCount;
    private Counter refusedCount;

    private TlsFiles(Path certFile, Path keyFile, Clock clock, PemTls.Pem pem) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.clock = clock;
        this.tls = new SwappableTls(pem.keyStore(), PemTls.PASSWORD);
        this.served = pem.leaf();
        this.loadedAt = clock.instant();
    }

    /**
     * Reads the files at start; a file that cannot be read or a key that is not the certificate's stops the start. An
     * expired certificate does not (refusing to start would serve nothing at all): it is logged and {@code /readyz}
     * shows it down until a reload brings a valid one.
     */
    public static TlsFiles open(Path certFile, Path keyFile, Clock clock) throws PemTls.PemException {
        TlsFiles files = new TlsFiles(certFile, keyFile, clock, PemTls.read(certFile, keyFile));
        files.outsideValidity(files.served).ifPresent(why -> LOG.warn("TLS: {}; serving it anyway until a reload (SIGHUP) brings a valid one", why));
        return files;
    }

    public SwappableTls tls() {
        return tls;
    }

    public X509Certificate served() {
        return served;
    }

    /**
     * Reads both files again and serves them from the next handshake on; open connections, WebRTC sessions and
     * broadcasts are untouched. Refused files leave the current certificate in service. Whether the new one is served.
     */
    public synchronized boolean reload() {
        PemTls.Pem pem;
        try {
            pem = PemTls.read(certFile, keyFile);
        } catch (PemTls.PemException e) {
            return refuse(e.getMessage());
        }
        Optional<String> invalid = outsideValidity(pem.leaf());
        if (invalid.isPresent()) return refuse(invalid.get());
        try {
            tls.swap(pem.keyStore());
        } catch (Exception e) {
            return refuse("the TLS listener cannot use it: " + e.getMessage());
        }
        served = pem.leaf();
        loadedAt = clock.instant();
        refusal = Optional.empty();
        reloads++;
        if (reloadedCount != null) reloadedCount.increment();
        LOG.info("TLS reload: serving {} (serial {}, valid until {}) from {} for new connections", served.getSubjectX500Principal().getName(),
                served.getSerialNumber().toString(16), served.getNotAfter().toInstant(), certFile);
        return true;
    }

    private boolean refuse(String reason) {
        refusal = Optional.of(new Refusal(clock.instant(), reason));
        refusals++;
        if (refusedCount != null) refusedCount.increment();
        LOG.warn("TLS reload refused: {}; still serving {} (serial {}, valid until {})", reason, served.getSubjectX500Principal().getName(),
                served.getSerialNumber().toString(16), served.getNotAfter().toInstant());
        return false;
    }

    private Optional<String> outsideValidity(X509Certificate cert) {
        Instant now = clock.instant();
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant notBefore = cert.getNotBefore().toInstant();
        if (!now.isBefore(notAfter)) return Optional.of("--tls-cert " + certFile + " expired at " + notAfter);
        if (now.isBefore(notBefore)) return Optional.of("--tls-cert " + certFile + " is not valid before " + notBefore);
        return Optional.empty();
    }

    /** The same expiry gauge as ACME's (only one of them is ever on), and the reloads by outcome. */
    public void bindMetrics(MeterRegistry metrics) {
        Gauge.builder("cascade_tls_certificate_expiry_seconds", this,
                        f -> Duration.between(f.clock.instant(), f.served.getNotAfter().toInstant()).toSeconds())
                .description("Seconds until the certificate the HTTPS port serves expires (negative: expired)").register(metrics);
        reloadedCount = Counter.builder("cascade_tls_reloads_total").tag("outcome", "ok")
                .description("Reloads of the --tls-cert/--tls-key files (SIGHUP), by outcome; refused files leave the served certificate in place")
                .register(metrics);
        refusedCount = Counter.builder("cascade_tls_reloads_total").tag("outcome", "refused")
                .description("Reloads of the --tls-cert/--tls-key files (SIGHUP), by outcome; refused files leave the served certificate in place")
                .register(metrics);
    }

    public ReadinessComponent readiness() {
        return new ReadinessComponent() {
            @Override
            public String name() {
                return "tls";
            }

            @Override
            public Readiness check() {
                return readinessNow();
            }
        };
    }

    Readiness readinessNow() {
        X509Certificate cert = served;
        Instant now = clock.instant();
        Instant notAfter = cert.getNotAfter().toInstant();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "files");
        d.put("certFile", certFile.toString());
        d.put("subject", cert.getSubjectX500Principal().getName());
        d.put("serial", cert.getSerialNumber().toString(16));
        d.put("notAfter", notAfter.toString());
        d.put("expiresInSeconds", Duration.between(now, notAfter).toSeconds());
        d.put("loadedAt", loadedAt.toString());
        d.put("reloads", reloads);
        d.put("refusedReloads", refusals);
        Optional<Refusal> last = refusal;
        last.ifPresent(r -> {
            d.put("lastRefusalAt", r.at().toString());
            d.put("lastRefusal", r.reason());
        });
        if (!now.isBefore(notAfter)) {
            return new Readiness.Down("The served certificate expired at " + notAfter + ": put a valid one in " + certFile
                    + " and " + keyFile + ", then send the node SIGHUP", d);
        }
        if (last.isPresent()) {
            return new Readiness.Degraded("The reload at " + last.get().at() + " was refused (" + last.get().reason()
                    + "); still serving the certificate loaded at " + loadedAt, d);
        }
        return new Readiness.Ok("Serving " + cert.getSubjectX500Principal().getName() + " from " + certFile + " until " + notAfter, d);
    }
}
