package live.cascade.api.auth;

import live.cascade.db.User;

/** Told of each new account after it was created (the mail feature sends the verification link). */
@FunctionalInterface
public interface SignupListener {
    SignupListener NONE = user -> { };

    void signedUp(User user);
}
