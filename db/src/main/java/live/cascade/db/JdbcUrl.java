package live.cascade.db;

import java.util.Locale;
import org.jooq.SQLDialect;

/** The URL actually used: H2 URLs get the settings our SQL relies on. */
record JdbcUrl(String url, SQLDialect dialect, boolean embeddedH2) {

    /** Settings the repositories depend on; a URL that sets them differently is refused. */
    private static final String[][] H2_REQUIRED = {
            {"MODE", "PostgreSQL"}, {"DATABASE_TO_LOWER", "TRUE"}, {"DEFAULT_NULL_ORDERING", "HIGH"}};

    static JdbcUrl of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new JdbcUrl(url, SQLDialect.POSTGRES, false);
        }
        if (!lower.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("unsupported JDBC URL (want jdbc:h2:... or jdbc:postgresql:...): "
                    + url);
        }
        boolean memory = lower.startsWith("jdbc:h2:mem:");
        boolean remote = lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:");
        StringBuilder result = new StringBuilder(url);
        for (String[] setting : H2_REQUIRED) {
            String present = h2Setting(url, setting[0]);
            if (present == null) {
                result.append(';').append(setting[0]).append('=').append(setting[1]);
            } else if (!present.equalsIgnoreCase(setting[1])) {
                throw new IllegalArgumentException("H2 URL sets " + setting[0] + "=" + present + ", but "
                        + setting[0] + "=" + setting[1] + " is required");
            }
        }
        // H2's default lock wait is 1 s; first-account creation queues on a row lock that can be held longer.
        appendIfAbsent(result, url, "LOCK_TIMEOUT", "10000");
        if (memory) {
            // Otherwise the in-memory database vanishes whenever the pool happens to hold no connection.
            appendIfAbsent(result, url, "DB_CLOSE_DELAY", "-1");
        } else if (!remote) {
            appendIfAbsent(result, url, "DB_CLOSE_ON_EXIT", "FALSE");
        }
        return new JdbcUrl(result.toString(), SQLDialect.H2, !remote);
    }

    private static void appendIfAbsent(StringBuilder result, String url, String key, String value) {
        if (h2Setting(url, key) == null) {
            result.append(';').append(key).append('=').append(value);
        }
    }

    /** The value of {@code ;KEY=value} in an H2 URL, or null. */
    static String h2Setting(String url, String key) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).strip().equalsIgnoreCase(key)) {
                return parts[i].substring(eq + 1).strip();
            }
        }
        return null;
    }

    /** For logs: drops any password given in the URL. */
    String redacted() {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
