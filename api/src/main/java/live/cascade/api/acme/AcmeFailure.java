package live.cascade.api.acme;

import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

import java.time.Instant;
import java.util.Optional;

/**
 * Why an attempt to obtain a certificate failed, as an operator reads it in the log and in {@code /readyz}: the kind,
 * a sentence that says what to do, and the earliest retry the CA allows.
 */
public record AcmeFailure(Kind kind, String detail, Optional<Instant> retryAfter) {

    public enum Kind {
        /** The CA could not be reached, or answered with something that is not ACME. */
        CA_UNREACHABLE,
        /** The CA's rate limit: retried no sooner than it says. */
        RATE_LIMITED,
        /** The CA wants a person: new terms of service, usually. */
        ACTION_REQUIRED,
        /** The CA could not confirm control of a domain (DNS, port 80, a firewall, a proxy in front). */
        VALIDATION,
        /** Anything else the CA refused, with its problem document's detail. */
        REFUSED,
        /** Storing or reading the account key or the certificate under the data directory failed. */
        STORAGE
    }

    /** Reads an acme4j failure, the CA's RFC 8555 problem document included, into a kind and an actionable sentence. */
    public static AcmeFailure of(AcmeException e) {
        if (e instanceof AcmeRateLimitedException r) {
            return new AcmeFailure(Kind.RATE_LIMITED, "the CA's rate limit: " + problemDetail(r)
                    + r.getRetryAfter().map(t -> "; the CA allows a retry from " + t).orElse(""), r.getRetryAfter());
        }
        if (e instanceof AcmeUserActionRequiredException u) {
            return new AcmeFailure(Kind.ACTION_REQUIRED, "the CA asks for a person (" + problemDetail(u) + ")"
                    + u.getTermsOfServiceUri().map(t -> "; read the new terms at " + t + " and restart with --acme-agree-tos true").orElse(""),
                    Optional.empty());
        }
        if (e instanceof AcmeServerException s) {
            String type = s.getType().toString();
            if (VALIDATION_TYPES.stream().anyMatch(type::endsWith)) {
                return validation(problemDetail(s));
            }
            return new AcmeFailure(Kind.REFUSED, "the CA refused: " + problemDetail(s) + " (" + type + ")", Optional.empty());
        }
        if (e instanceof AcmeNetworkException) {
            return new AcmeFailure(Kind.CA_UNREACHABLE, "cannot reach the ACME directory (check --acme-directory, DNS and outbound HTTPS; a private CA needs --acme-ca-trust): "
                    + rootMessage(e), Optional.empty());
        }
        return new AcmeFailure(Kind.REFUSED, "ACME failed: " + rootMessage(e), Optional.empty());
    }

    /** A challenge or an order the CA marked invalid: it could not fetch the token over plain HTTP. */
    public static AcmeFailure validation(String problem) {
        return new AcmeFailure(Kind.VALIDATION, "the CA could not validate the domain over HTTP-01 (" + problem
                + "): its DNS must point at this node and port 80 must reach --acme-http-port", Optional.empty());
    }

    private static final java.util.List<String> VALIDATION_TYPES = java.util.List.of(":connection", ":dns", ":unauthorized",
            ":incorrectResponse", ":caa", ":tls", ":rejectedIdentifier");

    private static String problemDetail(AcmeServerException e) {
        return e.getProblem().getDetail().or(() -> e.getProblem().getTitle()).orElse(e.getType().toString());
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
