package live.cascade.api.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each setting's raw text and where it came from (a default, the config file, the environment or a flag), with the
 * typed readers {@link ConfigLoader} builds the config from. Every reader fails with one line that names the setting,
 * the value, its source and what would have been accepted.
 */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private final Map<Setting, String> sources = new EnumMap<>(Setting.class);

    ConfigValues() {
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
            sources.put(s, "default");
        }
    }

    /** A later source overrides an earlier one; surrounding white space is not part of any value. */
    void put(Setting s, String value, String source) {
        values.put(s, value.trim());
        sources.put(s, source);
    }

    String get(Setting s) {
        return values.get(s);
    }

    Optional<String> optional(Setting s) {
        String v = values.get(s);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    String text(Setting s, String accepts) {
        String v = values.get(s);
        if (v.isEmpty()) throw invalid(s, accepts);
        return v;
    }

    void readable(Setting s, Path p) {
        if (!Files.isReadable(p)) throw invalid(s, "a readable PEM file (" + p.toAbsolutePath() + " cannot be read)");
    }

    int integer(Setting s, int min, int max, String accepts) {
        try {
            long v = Long.parseLong(values.get(s));
            if (v < min || v > max) throw invalid(s, accepts);
            return (int) v;
        } catch (NumberFormatException e) {
            throw invalid(s, accepts);
        }
    }

    Duration duration(Setting s, Duration min) {
        String accepts = "a duration such as 500ms, 30s, 15m, 12h or 30d";
        Matcher m = DURATION.matcher(values.get(s).toLowerCase(Locale.ROOT));
        if (!m.matches()) throw invalid(s, accepts);
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(s, accepts);
        }
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0) throw invalid(s, accepts + " of at least " + min.toString().substring(2).toLowerCase(Locale.ROOT));
        return d;
    }

    ConfigException invalid(Setting s, String accepts) {
        return new ConfigException("invalid " + s.flag() + " '" + values.get(s) + "' (from " + sources.get(s) + "): expected " + accepts);
    }

    /** A retention: a duration, or 0 for "keep forever". */
    Duration retention(Setting s) {
        return values.get(s).equals("0") ? Duration.ZERO : duration(s, Duration.ofSeconds(1));
    }

    static boolean isIpLiteral(String s) {
        if (!s.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) return false;
        try {
            InetAddress.getByName(s); // a literal never resolves through DNS
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
