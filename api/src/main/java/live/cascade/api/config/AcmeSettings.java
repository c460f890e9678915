package live.cascade.api.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads and checks the {@code acme-*} settings into an {@link AcmeConfig}, kept out of ConfigLoader's long build. */
final class AcmeSettings {
    private final ConfigValues values;

    AcmeSettings(ConfigValues values) {
        this.values = values;
    }

    AcmeConfig acme() {
        List<String> domains = Arrays.stream(values.get(Setting.ACME_DOMAIN).split(","))
                .map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).distinct().toList();
        for (String d : domains) {
            // HTTP-01 cannot prove a wildcard or an IP address, and a CA refuses names without a dot.
            if (!d.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?") || d.length() > 253) {
                throw values.invalid(Setting.ACME_DOMAIN, "comma-separated DNS names such as live.example.org (no wildcard, no IP address: HTTP-01 proves neither)");
            }
        }
        Optional<String> email = values.optional(Setting.ACME_EMAIL);
        email.ifPresent(e -> {
            if (!e.matches("[^@\\s,<>]+@[^@\\s,<>]+\\.[^@\\s,<>]+")) throw values.invalid(Setting.ACME_EMAIL, "an e-mail address such as ops@example.org");
        });
        URI directory;
        try {
            directory = URI.create(values.get(Setting.ACME_DIRECTORY).strip());
            if (!("https".equals(directory.getScheme()) || "http".equals(directory.getScheme())) || directory.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw values.invalid(Setting.ACME_DIRECTORY, "the https:// URL of an ACME directory, such as https://acme-v02.api.letsencrypt.org/directory");
        }
        String agree = values.get(Setting.ACME_AGREE_TOS).strip().toLowerCase(Locale.ROOT);
        if (!agree.equals("true") && !agree.equals("false")) throw values.invalid(Setting.ACME_AGREE_TOS, "true or false");
        int port = values.integer(Setting.ACME_HTTP_PORT, 0, 65535, "a TCP port 0-65535 (0 = any free port)");
        Duration renewBefore = values.duration(Setting.ACME_RENEW_BEFORE, Duration.ofHours(1));
        if (renewBefore.compareTo(Duration.ofDays(90)) > 0) throw values.invalid(Setting.ACME_RENEW_BEFORE, "a duration from 1h to 90d, such as 30d");
        Duration check = values.duration(Setting.ACME_CHECK_INTERVAL, Duration.ofMinutes(1));
        if (check.compareTo(Duration.ofHours(24)) > 0) throw values.invalid(Setting.ACME_CHECK_INTERVAL, "a duration from 1m to 24h, such as 12h");
        Optional<Path> trust = values.optional(Setting.ACME_CA_TRUST).map(Path::of);
        trust.ifPresent(p -> {
            values.readable(Setting.ACME_CA_TRUST, p);
            try (var in = java.nio.file.Files.newInputStream(p)) {
                if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) throw new java.io.IOException("no certificate");
            } catch (java.io.IOException | java.security.cert.CertificateException e) {
                throw values.invalid(Setting.ACME_CA_TRUST, "a PEM file of one or more CA certificates (" + e.getMessage() + ")");
            }
        });
        if (!domains.isEmpty()) {
            if (port != 0 && values.get(Setting.HTTP_PORT).strip().equals(Integer.toString(port))) {
                throw values.invalid(Setting.ACME_HTTP_PORT, "a port other than http-port (" + port + "), which speaks HTTPS with ACME on");
            }
            if (values.optional(Setting.TLS_CERT).isPresent()) {
                throw new ConfigException(Setting.ACME_DOMAIN.flag() + " and " + Setting.TLS_CERT.flag()
                        + " are two sources for one certificate: drop --tls-cert/--tls-key to have the node obtain it, or --acme-domain to use your own");
            }
            if (!agree.equals("true")) {
                throw new ConfigException(Setting.ACME_AGREE_TOS.flag() + " true is required with " + Setting.ACME_DOMAIN.flag()
                        + ": read the terms of service of the CA at " + directory + " and set it to accept them");
            }
        }
        return new AcmeConfig(domains, email, directory, port, renewBefore, check, trust);
    }
}
