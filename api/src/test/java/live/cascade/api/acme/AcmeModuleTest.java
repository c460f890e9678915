package live.cascade.api.acme;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import live.cascade.api.config.AcmeConfig;
import live.cascade.api.ops.Readiness;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSON;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The renewal state machine with a scripted CA and a clock the test moves: scheduling, back-off, logging, readiness. */
class AcmeModuleTest {
    static final List<String> DOMAINS = List.of("live.cascade.test");

    @TempDir
    Path dataDir;

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T00:00:00Z"));
    final Deque<Object> script = new ArrayDeque<>(); // what the fake CA does next: an Issued, or an exception to throw
    int orders;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AcmeModule.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    AcmeModule module() {
        AcmeConfig cfg = new AcmeConfig(DOMAINS, Optional.empty(), URI.create("https://ca.test/dir"), 0, Duration.ofDays(30),
                Duration.ofHours(12), Optional.empty());
        return new AcmeModule(cfg, new AcmeStore(dataDir), new Http01Responder(DOMAINS), () -> {
            orders++;
            Object next = script.removeFirst();
            if (next instanceof AcmeException e) throw e;
            return (Issued) next;
        }, clock);
    }

    Issued certificate(Instant notAfter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var kp = g.generateKeyPair();
        X500Name issuer = new X500Name("CN=Scripted CA");
        var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(orders + 1),
                Date.from(clock.instant().minusSeconds(60)), Date.from(notAfter), new X500Name("CN=" + DOMAINS.get(0)), kp.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, DOMAINS.get(0))))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new Issued(kp, List.of(cert));
    }

    static AcmeServerException problem(String type, String detail) throws Exception {
        return new AcmeServerException(new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail + "\"}"),
                URI.create("https://ca.test/acme/chall/1").toURL()));
    }

    long warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void withoutAStoredCertificateItServesAStandInAndOrdersAtOnce() {
        AcmeModule m = module();
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant());
        assertThat(m.servedCertificate().getSubjectX500Principal().getName()).contains("placeholder");
        Readiness r = m.readinessNow();
        assertThat(r).isInstanceOf(Readiness.Degraded.class);
        assertThat(r.reason()).contains("Obtaining the first certificate").contains("self-signed stand-in");
    }

    @Test
    void failuresAreRetriedWithBackOffLoggedOnceAndShownInReadinessUntilASuccessSwapsAndStoresTheCertificate() throws Exception {
        AcmeModule m = module();
        script.add(problem("connection", "Connection refused"));
        script.add(problem("connection", "Connection refused"));
        script.add(problem("dns", "NXDOMAIN looking up A for live.cascade.test"));
        Issued good = certificate(clock.instant().plus(Duration.ofDays(90)));
        script.add(good);

        m.check();
        assertThat(m.state().failures()).isEqualTo(1);
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(m.readinessNow()).isInstanceOf(Readiness.Degraded.class);
        assertThat(m.readinessNow().reason()).contains("Connection refused").contains("retrying at");
        assertThat(m.readinessNow().details()).containsEntry("lastFailure", "validation").containsEntry("failures", 1);
        assertThat(warnings()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        m.check();
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(warnings()).as("the same failure again is not logged again").isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        m.check();
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(4)));
        assertThat(warnings()).as("a new reason is logged").isEqualTo(2);

        clock.advance(Duration.ofMinutes(4));
        m.check();
        assertThat(orders).isEqualTo(4);
        assertThat(m.state().failures()).isZero();
        assertThat(m.servedCertificate()).isEqualTo(good.leaf());
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        assertThat(m.readinessNow()).isInstanceOf(Readiness.Ok.class);
        Path stored = dataDir.resolve("acme/certificate.pem");
        assertThat(stored).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
        assertThat(new AcmeStore(dataDir).certificate().orElseThrow().leaf()).isEqualTo(good.leaf());
    }

    @Test
    void aCertificateThatIsNotDueIsNotReorderedAndOneThatIsDueIs() throws Exception {
        script.add(certificate(clock.instant().plus(Duration.ofDays(45))));
        AcmeModule m = module();
        m.check();
        assertThat(orders).isEqualTo(1);

        clock.advance(Duration.ofHours(12));
        m.check();
        assertThat(orders).as("45 days minus 12 hours left: not due").isEqualTo(1);
        assertThat(m.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));

        clock.advance(Duration.ofDays(15));
        Issued renewed = certificate(clock.instant().plus(Duration.ofDays(90)));
        script.add(renewed);
        m.check();
        assertThat(orders).as("under 30 days left: renewed").isEqualTo(2);
        assertThat(m.servedCertificate()).isEqualTo(renewed.leaf());
    }

    @Test
    void aRestartServesTheStoredCertificateWithoutOrdering() throws Exception {
        Issued good = certificate(clock.instant().plus(Duration.ofDays(90)));
        script.add(good);
        module().check();

        AcmeModule restarted = module();
        assertThat(restarted.servedCertificate()).isEqualTo(good.leaf());
        assertThat(restarted.readinessNow()).isInstanceOf(Readiness.Ok.class);
        assertThat(restarted.state().nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        restarted.check();
        assertThat(orders).isEqualTo(1);
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanTheCaAllows() throws Exception {
        Instant after = clock.instant().plus(Duration.ofHours(5));
        script.add(new AcmeRateLimitedException(new Problem(JSON.parse(
                "{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"too many new orders\"}"),
                URI.create("https://ca.test/acme/new-order").toURL()), after, List.<URL>of()));
        AcmeModule m = module();
        m.check();
        assertThat(m.state().nextAttempt()).isEqualTo(after);
        assertThat(m.readinessNow().details()).containsEntry("lastFailure", "rate_limited");
    }

    @Test
    void anExpiredCertificateThatCannotBeRenewedIsDown() throws Exception {
        script.add(certificate(clock.instant().plus(Duration.ofDays(10))));
        AcmeModule m = module();
        m.check();
        clock.advance(Duration.ofDays(11));
        script.add(problem("connection", "Connection refused"));
        m.check();
        assertThat(m.readinessNow()).isInstanceOf(Readiness.Down.class);
        assertThat(m.readinessNow().reason()).contains("expired").contains("Connection refused");
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
