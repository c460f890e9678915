package live.cascade.api.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Automatic HTTPS over ACME (RFC 8555): the domains to hold a certificate for (none: ACME is off), the account's
 * contact and CA, the plain-HTTP port of the HTTP-01 challenges, when to renew and how often to look.
 *
 * @param caTrust PEM CA certificates trusted for the ACME server's own HTTPS, for a private CA; empty: the JDK's
 */
public record AcmeConfig(List<String> domains, Optional<String> email, URI directory, int httpPort, Duration renewBefore,
                         Duration checkInterval, Optional<Path> caTrust) {

    public AcmeConfig {
        domains = List.copyOf(domains);
    }

    public static AcmeConfig off() {
        return new AcmeConfig(List.of(), Optional.empty(), URI.create("https://acme-v02.api.letsencrypt.org/directory"), 80,
                Duration.ofDays(30), Duration.ofHours(12), Optional.empty());
    }

    public boolean enabled() {
        return !domains.isEmpty();
    }
}
