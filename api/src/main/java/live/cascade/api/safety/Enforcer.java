package live.cascade.api.safety;

import live.cascade.api.auth.Secrets;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.mail.Mailer;
import live.cascade.api.users.UserResource;
import live.cascade.db.ChatMessage;
import live.cascade.db.Database;
import live.cascade.db.Enforcement;
import live.cascade.db.User;

import java.time.Clock;
import java.util.Optional;

/**
 * Carries out an enforcement action (and undoes it when an appeal reverses it), records it, and tells the affected
 * account by mail with a link that files its one appeal: a suspended account cannot log in, so the link carries a token.
 */
final class Enforcer {
    static final String APPEAL_TOKEN_PREFIX = "ap_";

    private final Database db;
    private final NodeCommands commands;
    private final Mailer mailer;
    private final Clock clock;

    Enforcer(Database db, NodeCommands commands, Mailer mailer, Clock clock) {
        this.db = db;
        this.commands = commands;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** What was done and whether the account was told. */
    record Done(Enforcement enforcement, boolean userNotified) {
    }

    /** Applies {@code kind} to the subject and records it. 409 when the subject is gone or already in that state. */
    Done apply(EnforcementKind kind, long subjectId, Long userId, Long reportId, long adminId, String reason) {
        switch (kind) {
            case SUSPEND_USER -> UserResource.setSuspended(db, commands, subjectId, true);
            case SUSPEND_CHANNEL -> {
                if (!db.channels().setSuspended(subjectId, true)) throw gone("channel", subjectId);
                commands.send(new NodeCommand.SuspendChannel(subjectId));
            }
            case DELETE_MESSAGE -> {
                ChatMessage m = db.chatMessages().findById(subjectId).orElseThrow(() -> gone("message", subjectId));
                db.chatMessages().delete(m.channelId(), m.id(), adminId, reason);
            }
            case TAKE_DOWN_RECORDING -> db.recordings().takeDown(subjectId, adminId, reason, clock.instant())
                    .orElseThrow(() -> gone("recording", subjectId));
            case DISMISS -> throw new IllegalArgumentException("dismiss is not an enforcement");
        }
        String token = Secrets.newToken(APPEAL_TOKEN_PREFIX);
        Enforcement e = db.safety().appeals().enforce(kind.dbValue(), subjectId, userId, reportId, adminId, reason,
                Secrets.sha256Hex(token));
        boolean told = userId != null && tell(userId, "enforcement", "An administrator acted on a report: " + kind.toldAs(),
                "An administrator of this site acted on a report: " + kind.toldAs() + ".\n\nReason: " + reason + "\n\n"
                        + "You may appeal this decision once. An administrator reads your appeal and "
                        + "decides; you are told the outcome by mail. Appeal here (the link works while signed out too):\n\n"
                        + mailer.link("/appeal?token=" + token) + "\n");
        return new Done(e, told);
    }

    /** Undoes an enforcement an appeal reversed. */
    void reverse(Enforcement e) {
        switch (EnforcementKind.fromDb(e.kind()).orElseThrow()) {
            case SUSPEND_USER -> UserResource.setSuspended(db, commands, e.subjectId(), false);
            case SUSPEND_CHANNEL -> db.channels().setSuspended(e.subjectId(), false);
            case DELETE_MESSAGE -> db.chatMessages().undelete(e.subjectId());
            case TAKE_DOWN_RECORDING -> db.recordings().restore(e.subjectId());
            case DISMISS -> { }
        }
    }

    /** Mails one account; false when mail is off or the account has no address any more. */
    boolean tell(long userId, String kind, String subject, String body) {
        Optional<User> u = db.users().findById(userId);
        return u.isPresent() && mailer.notice(userId, kind, u.get().email(), subject,
                "Hello " + u.get().username() + ",\n\n" + body);
    }

    private static ApiException gone(String what, long id) {
        return new ApiException(409, "Conflict", "The reported " + what + " " + id + " no longer exists, so nothing was done; "
                + "dismiss the report instead.");
    }
}
