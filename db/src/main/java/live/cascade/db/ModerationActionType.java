package live.cascade.db;

import java.util.Locale;

/** What a moderation log entry records. Stored lower-case ('message_deleted', ...). */
public enum ModerationActionType {
    MESSAGE_DELETED, USER_TIMED_OUT, USER_BANNED, USER_UNBANNED, MODERATOR_ADDED, MODERATOR_REMOVED,
    SETTINGS_CHANGED, REPORT_RESOLVED,
    /** Site-wide (no channel): an account was made admin or user. */
    ROLE_CHANGED,
    /** Site-wide: an account was erased at its owner's request (the target is gone; the detail names its old id). */
    ACCOUNT_ERASED,
    /** Site-wide trust and safety (issue 26): the platform report queue, enforcement, appeals, DMCA, legal texts. */
    PLATFORM_REPORT_FILED, PLATFORM_REPORT_UPDATED, ENFORCEMENT_TAKEN, ENFORCEMENT_REVERSED, APPEAL_FILED,
    APPEAL_DECIDED, DMCA_NOTICE_RECORDED, DMCA_COUNTER_NOTICE, DMCA_RESTORED, DMCA_KEPT_DOWN, LEGAL_PUBLISHED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ModerationActionType fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
