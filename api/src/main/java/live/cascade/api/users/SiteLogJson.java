package live.cascade.api.users;

import com.fasterxml.jackson.annotation.JsonInclude;
import live.cascade.db.ModerationAction;

import java.time.Instant;

/**
 * One entry of the site-wide moderation log as the API shows it, in the shape of a channel's log entries:
 * {@code {"id","action":"role_changed","actor":{id,username},"target":{id,username},"detail":"user -> admin","at"}}.
 * The actor is absent when the node itself acted (--bootstrap-admin at start).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SiteLogJson(long id, String action, Ref actor, Ref target, String detail, Instant at) {
    record Ref(long id, String username) {
        static Ref of(Long id, String username) {
            return id == null ? null : new Ref(id, username);
        }
    }

    static SiteLogJson of(ModerationAction a) {
        return new SiteLogJson(a.id(), a.action().code(), Ref.of(a.actorId(), a.actorName()),
                Ref.of(a.targetUserId(), a.targetName()), a.detail(), a.createdAt());
    }
}
