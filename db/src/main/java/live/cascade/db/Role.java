package live.cascade.db;

import java.util.Locale;

/** What an account may do. Stored lower-case ('admin', 'user'), see ck_users_role. */
public enum Role {
    ADMIN, USER;

    String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
