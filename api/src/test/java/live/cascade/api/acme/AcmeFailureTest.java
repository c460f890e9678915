package live.cascade.api.acme;

import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;
import org.shredzone.acme4j.toolbox.JSON;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CA's RFC 8555 problem documents, as acme4j raises them, read into what an operator is told and when to retry. */
class AcmeFailureTest {
    static Problem problem(String type, String detail) throws Exception {
        return new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail + "\"}"),
                URI.create("https://ca.test/acme/order/1").toURL());
    }

    @Test
    void aRateLimitKeepsTheCasRetryAfterAndItsDetail() throws Exception {
        Instant after = Instant.parse("2026-12-06T10:00:00Z");
        AcmeFailure f = AcmeFailure.of(new AcmeRateLimitedException(problem("rateLimited", "too many certificates for cascade.test"),
                after, List.<URL>of()));
        assertThat(f.kind()).isEqualTo(AcmeFailure.Kind.RATE_LIMITED);
        assertThat(f.retryAfter()).contains(after);
        assertThat(f.detail()).contains("too many certificates for cascade.test").contains(after.toString());
    }

    @Test
    void newTermsOfServiceTellTheOperatorWhereToReadThemAndWhichSettingAccepts() throws Exception {
        AcmeFailure f = AcmeFailure.of(new AcmeUserActionRequiredException(problem("userActionRequired", "terms changed"),
                URI.create("https://ca.test/terms-v2")));
        assertThat(f.kind()).isEqualTo(AcmeFailure.Kind.ACTION_REQUIRED);
        assertThat(f.detail()).contains("https://ca.test/terms-v2").contains("--acme-agree-tos true");
        assertThat(f.retryAfter()).isEmpty();
    }

    @Test
    void aValidationProblemPointsAtDnsAndPort80() throws Exception {
        AcmeFailure f = AcmeFailure.of(new AcmeServerException(problem("connection", "Connection refused")));
        assertThat(f.kind()).isEqualTo(AcmeFailure.Kind.VALIDATION);
        assertThat(f.detail()).contains("Connection refused").contains("port 80").contains("--acme-http-port");
    }

    @Test
    void anyOtherRefusalCarriesTheProblemTypeAndDetail() throws Exception {
        AcmeFailure f = AcmeFailure.of(new AcmeServerException(problem("malformed", "bad CSR")));
        assertThat(f.kind()).isEqualTo(AcmeFailure.Kind.REFUSED);
        assertThat(f.detail()).contains("bad CSR").contains("urn:ietf:params:acme:error:malformed");
    }

    @Test
    void anUnreachableCaNamesTheSettingsToCheck() {
        AcmeFailure f = AcmeFailure.of(new AcmeNetworkException(new IOException("Connection refused")));
        assertThat(f.kind()).isEqualTo(AcmeFailure.Kind.CA_UNREACHABLE);
        assertThat(f.detail()).contains("--acme-directory").contains("--acme-ca-trust").contains("Connection refused");
    }
}
