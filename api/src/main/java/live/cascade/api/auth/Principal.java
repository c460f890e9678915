package live.cascade.api.auth;

import live.cascade.db.User;

import java.util.OptionalLong;
import java.util.Set;

/**
 * The authenticated caller of a request, and how they proved it: a login session (every scope) or an API token (its
 * own scopes, and {@code apiTokenId}).
 */
public record Principal(User user, String tokenHash, boolean viaCookie, Set<Scope> scopes, OptionalLong apiTokenId) {
    public Principal {
        scopes = Set.copyOf(scopes);
    }

    /** A login session's caller. */
    public Principal(User user, String tokenHash, boolean viaCookie) {
        this(user, tokenHash, viaCookie, Scope.ALL, OptionalLong.empty());
    }

    /** An administrator acting through a session, or through a token that has the admin scope. */
    public boolean isAdmin() {
        return user.isAdmin() && scopes.contains(Scope.ADMIN);
    }

    public boolean viaApiToken() {
        return apiTokenId.isPresent();
    }

    public long id() {
        return user.id();
    }
}
