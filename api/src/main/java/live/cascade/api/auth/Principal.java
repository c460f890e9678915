package live.cascade.api.auth;

import live.cascade.db.User;

/** The authenticated caller of a request, and how they proved it. */
public record Principal(User user, String tokenHash, boolean viaCookie) {
    public boolean isAdmin() {
        return user.isAdmin();
    }

    public long id() {
        return user.id();
    }
}
