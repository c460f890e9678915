package live.cascade.api.chat;

import live.cascade.db.AuthenticatedSession;
import live.cascade.db.Database;
import live.cascade.db.User;

import java.time.Instant;
import java.util.Optional;

/** Whether the login a chat socket was opened with still stands, read from the database now. */
sealed interface Standing {
    String SUSPENDED_MESSAGE = "Your account is suspended; contact the administrators of this site.";
    String SESSION_ENDED_MESSAGE = "Your login session has ended (you logged out or your password was changed); log in again to chat.";

    /** The session is valid and the account is not suspended; {@code user} as it is now (its role included). */
    record Stands(User user) implements Standing {
    }

    record Revoked(ChatError error, String message) implements Standing {
    }

    /**
     * One query while the session stands; when it does not, a second one tells a suspension (which also ends every
     * session) from a logout, so the user reads the right reason.
     */
    static Standing of(Database db, String tokenHash, long userId, Instant now) {
        Optional<AuthenticatedSession> s = db.sessions().findValid(tokenHash, now);
        if (s.isPresent()) {
            return s.get().user().suspended() ? new Revoked(ChatError.SUSPENDED, SUSPENDED_MESSAGE) : new Stands(s.get().user());
        }
        boolean suspended = db.users().findById(userId).map(User::suspended).orElse(true);
        return suspended ? new Revoked(ChatError.SUSPENDED, SUSPENDED_MESSAGE) : new Revoked(ChatError.SESSION_ENDED, SESSION_ENDED_MESSAGE);
    }
}
