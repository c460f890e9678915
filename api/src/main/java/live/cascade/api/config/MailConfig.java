package live.cascade.api.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Outgoing e-mail. Off unless {@code smtpHost} is set; then {@code from} is set too (the loader insists).
 *
 * @param retryMaxBackoff    longest wait between two attempts of one queued mail
 * @param liveNoticeInterval a channel's followers are told it is live at most once per this interval
 */
public record MailConfig(Optional<String> smtpHost, int smtpPort, SmtpTls tls, Optional<String> user,
                         Optional<String> password, Optional<String> from, Duration retryMaxBackoff,
                         Duration liveNoticeInterval) {

    /** How the connection to the SMTP server is secured. */
    public enum SmtpTls {
        NONE(25), STARTTLS(587), TLS(465);

        private final int defaultPort;

        SmtpTls(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("(?:[^<>]*<)?([^@\\s<>]{1,64}@[^@\\s<>]+\\.[^@\\s<>]+)>?\\s*");

    public static MailConfig off() {
        return new MailConfig(Optional.empty(), 25, SmtpTls.NONE, Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofMinutes(10), Duration.ofHours(1));
    }

    public boolean enabled() {
        return smtpHost.isPresent();
    }

    /** The bare address of a {@code name <address>} or plain address; IllegalArgumentException if it is neither. */
    public static String parseAddress(String value) {
        var m = ADDRESS.matcher(value.strip());
        if (!m.matches()) throw new IllegalArgumentException("not an e-mail address: " + value);
        return m.group(1);
    }

    @Override
    public String toString() {
        return "MailConfig[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", tls=" + tls + ", user=" + user
                + ", password=" + password.map(p -> "***") + ", from=" + from + "]";
    }
}
