package live.cascade.db;

/** A valid login session together with its account (which may be suspended: the API decides what that means). */
public record AuthenticatedSession(LoginSession session, User user) {
}
