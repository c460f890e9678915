package live.cascade.api.moderation;

import live.cascade.db.Ban;
import live.cascade.db.ChatSettings;
import live.cascade.db.ModerationAction;
import live.cascade.db.Moderator;
import live.cascade.db.Report;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of the moderation API (docs/chat.md). */
final class ModerationJson {
    private ModerationJson() {
    }

    record UserRef(long id, String username) {
        static UserRef of(Long id, String username) {
            return id == null ? null : new UserRef(id, username);
        }
    }

    record ModeratorJson(long userId, String username, Long appointedBy, Instant appointedAt) {
        static ModeratorJson of(Moderator m) {
            return new ModeratorJson(m.userId(), m.username(), m.appointedBy(), m.createdAt());
        }
    }

    record BanJson(long userId, String username, boolean permanent, Instant expiresAt, String reason, Long bannedBy,
                   Instant createdAt) {
        static BanJson of(Ban b) {
            return new BanJson(b.userId(), b.username(), b.permanent(), b.expiresAt(), b.reason(), b.bannedBy(), b.createdAt());
        }
    }

    record ActionJson(long id, String action, UserRef actor, UserRef target, Long messageId, String reason,
                      String detail, Instant at) {
        static ActionJson of(ModerationAction a) {
            return new ActionJson(a.id(), a.action().code(), UserRef.of(a.actorId(), a.actorName()),
                    UserRef.of(a.targetUserId(), a.targetName()), a.targetMessageId(), a.reason(), a.detail(), a.createdAt());
        }
    }

    record ReportJson(long id, String status, String reason, UserRef reporter, UserRef target, Long messageId,
                      Instant createdAt, Long resolvedBy, Instant resolvedAt, String resolution) {
        static ReportJson of(Report r) {
            return new ReportJson(r.id(), r.status().name().toLowerCase(java.util.Locale.ROOT), r.reason(),
                    UserRef.of(r.reporterId(), r.reporterName()), UserRef.of(r.targetUserId(), r.targetName()),
                    r.messageId(), r.createdAt(), r.resolvedBy(), r.resolvedAt(), r.resolution());
        }
    }

    /** Settings as moderators see them; viewers get {@link PublicSettingsJson}. */
    record SettingsJson(int slowModeSeconds, boolean followersOnly, boolean blockLinks, int maxMessageLength,
                        List<String> blockedWords, List<String> blockedPatterns) {
        static SettingsJson of(ChatSettings s) {
            return new SettingsJson(s.slowModeSeconds(), s.followersOnly(), s.blockLinks(), s.maxMessageLength(),
                    s.blockedWords(), s.blockedPatterns());
        }
    }

    record PublicSettingsJson(int slowModeSeconds, boolean followersOnly, boolean blockLinks, int maxMessageLength) {
        static PublicSettingsJson of(ChatSettings s) {
            return new PublicSettingsJson(s.slowModeSeconds(), s.followersOnly(), s.blockLinks(), s.maxMessageLength());
        }
    }
}
