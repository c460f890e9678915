package live.cascade.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import live.cascade.db.User;

import java.time.Instant;
import java.util.Locale;

/** A user as the API shows it; the email only to the user themself and to admins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserJson(long id, String username, String email, String role, boolean suspended, Instant createdAt,
                       Boolean emailVerified) {
    public static UserJson of(User u, boolean withEmail) {
        return new UserJson(u.id(), u.username(), withEmail ? u.email() : null, u.role().name().toLowerCase(Locale.ROOT), u.suspended(), u.createdAt(),
                withEmail ? u.emailVerified() : null);
    }
}
