package live.cascade.db;

import java.util.Locale;

/** What a moderation log entry records. Stored lower-case ('message_deleted', ...). */
public enum ModerationActionType {
    MESSAGE_DELETED, USER_TIMED_OUT, USER_BANNED, USER_UNBANNED, MODERATOR_ADDED, MODERATOR_REMOVED,
    SETTINGS_CHANGED, REPORT_RESOLVED,
    /** Site-wide (no channel): an account was made admin or user. */
    ROLE_CHANGED,
    /** Site-wide: an account was erased at its owner's request (the target is gone; the detail names its old id). */
    ACCOUNT_ERASED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ModerationActionType fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
