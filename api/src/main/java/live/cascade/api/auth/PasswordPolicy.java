package live.cascade.api.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a new password must be: long enough, not absurdly long, not a well-known password, not the username. */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = load();
    }

    private static Set<String> load() {
        Set<String> set = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/auth/common-passwords.txt")) {
            if (in == null) throw new IllegalStateException("common-passwords.txt missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) set.add(line.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return set;
    }

    /** Why {@code password} is refused, or empty when it is acceptable. */
    public Optional<String> problem(String password, String username) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) return Optional.of("must be at least " + MIN_LENGTH + " characters long");
        if (length > MAX_LENGTH) return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) return Optional.of("is one of the most common passwords; choose another");
        if (username != null && lower.contains(username.toLowerCase(Locale.ROOT))) return Optional.of("must not contain the username");
        if (password.chars().distinct().count() < 4) return Optional.of("is too repetitive; use more distinct characters");
        return Optional.empty();
    }
}
