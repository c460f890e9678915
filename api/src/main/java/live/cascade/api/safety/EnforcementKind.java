package live.cascade.api.safety;

import java.util.Locale;
import java.util.Optional;

/** What an administrator can do about a report; each but {@link #DISMISS} is an enforcement its target may appeal. */
enum EnforcementKind {
    SUSPEND_USER("user_suspended", "your account was suspended"),
    SUSPEND_CHANNEL("channel_suspended", "your channel was suspended"),
    DELETE_MESSAGE("message_deleted", "your chat message was removed"),
    TAKE_DOWN_RECORDING("recording_taken_down", "your recording was taken down"),
    DISMISS(null, null);

    private final String dbValue;
    private final String toldAs;

    EnforcementKind(String dbValue, String toldAs) {
        this.dbValue = dbValue;
        this.toldAs = toldAs;
    }

    /** The enforcement's stored kind; null for dismiss. */
    String dbValue() {
        return dbValue;
    }

    /** How the mail to the affected account says it. */
    String toldAs() {
        return toldAs;
    }

    String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<EnforcementKind> parse(String s) {
        if (s == null) return Optional.empty();
        for (EnforcementKind k : values()) if (k.apiName().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(k);
        return Optional.empty();
    }

    static Optional<EnforcementKind> fromDb(String s) {
        for (EnforcementKind k : values()) if (k.dbValue != null && k.dbValue.equals(s)) return Optional.of(k);
        return Optional.empty();
    }
}
