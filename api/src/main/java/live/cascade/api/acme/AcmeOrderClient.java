package live.cascade.api.acme;

import live.cascade.api.config.AcmeConfig;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * One ACME order, end to end (RFC 8555 section 7): the account (created on first use, found again by its key after),
 * a new order for the domains, an HTTP-01 proof for each authorization not yet valid, finalization with a fresh key,
 * and the chain. Blocking; runs on the renewal thread only.
 */
final class AcmeOrderClient {
    /** How long the CA may take over one challenge and over finalization. */
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    /** Thrown for a failure that is not an acme4j exception (a challenge or order the CA marked invalid). */
    static final class Failed extends Exception {
        final AcmeFailure failure;

        Failed(AcmeFailure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }
    }

    private final AcmeConfig config;
    private final AcmeStore store;
    private final Http01Responder responder;
    private final SSLContext caTls;

    AcmeOrderClient(AcmeConfig config, AcmeStore store, Http01Responder responder) {
        this.config = config;
        this.store = store;
        this.responder = responder;
        this.caTls = config.caTrust().map(AcmeOrderClient::trusting).orElse(null);
    }

    Issued order() throws AcmeException, IOException, InterruptedException, Failed {
        Session session = new Session(config.directory(), new Provider(caTls));
        KeyPair accountKey = store.accountKey();
        AccountBuilder account = new AccountBuilder().useKeyPair(accountKey).agreeToTermsOfService();
        config.email().ifPresent(account::addEmail);
        Login login = account.createLogin(session);
        Order order = login.newOrder().domains(config.domains()).create();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() == Status.VALID) continue; // proved recently; the CA reuses it
            Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow(() -> new Failed(new AcmeFailure(
                    AcmeFailure.Kind.REFUSED, "the CA offers no http-01 challenge for " + auth.getIdentifier().getDomain(),
                    java.util.Optional.empty())));
            responder.put(challenge.getToken(), challenge.getAuthorization());
            try {
                challenge.trigger();
                if (challenge.waitForCompletion(STEP_TIMEOUT) != Status.VALID) {
                    throw new Failed(AcmeFailure.validation(auth.getIdentifier().getDomain() + ": "
                            + challenge.getError().map(p -> p.getDetail().orElse(p.getType().toString())).orElse("no reason given")));
                }
            } finally {
                responder.remove(challenge.getToken());
            }
        }
        if (order.waitUntilReady(STEP_TIMEOUT) != Status.READY && order.getStatus() != Status.VALID) {
            throw new Failed(AcmeFailure.validation("order " + order.getStatus() + order.getError().map(p -> ": " + p).orElse("")));
        }
        KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
        order.execute(domainKey);
        if (order.waitForCompletion(STEP_TIMEOUT) != Status.VALID) {
            throw new Failed(new AcmeFailure(AcmeFailure.Kind.REFUSED, "the CA did not issue: "
                    + order.getError().map(p -> p.getDetail().orElse(p.getType().toString())).orElse("order " + order.getStatus()),
                    java.util.Optional.empty()));
        }
        return new Issued(domainKey, order.getCertificate().getCertificateChain());
    }

    /** acme4j's generic provider, its HTTP client trusting the operator's CA file when there is one. */
    private static final class Provider extends GenericAcmeProvider {
        private final SSLContext tls;

        Provider(SSLContext tls) {
            this.tls = tls;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            if (tls == null) return super.createHttpConnector(settings);
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    return super.createClientBuilder().sslContext(tls);
                }
            };
        }
    }

    /** Trusts exactly the certificates of the PEM file (checked when the configuration was loaded). */
    private static SSLContext trusting(Path pem) {
        try (var in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int n = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + n++, cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("--acme-ca-trust " + pem + " cannot be read: " + e.getMessage(), e);
        }
    }

}
