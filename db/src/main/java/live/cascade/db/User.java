package live.cascade.db;

import java.time.Instant;

/** An account. {@code username} and {@code email} keep the case they were given; lookups ignore case. */
public record User(long id, String username, String email, String passwordHash, Role role, boolean suspended,
                   Instant createdAt, boolean emailVerified) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    @Override
    public String toString() {
        // Records get logged; a password hash must not be.
        return "User[id=" + id + ", username=" + username + ", email=" + email + ", role=" + role
                + ", suspended=" + suspended + ", createdAt=" + createdAt + ", emailVerified=" + emailVerified + "]";
    }
}
