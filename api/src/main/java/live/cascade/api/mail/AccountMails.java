package live.cascade.api.mail;

import live.cascade.api.auth.Secrets;
import live.cascade.db.AccountTokenRepository.Purpose;
import live.cascade.db.Database;
import live.cascade.db.OutgoingMail;
import live.cascade.db.User;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Writes and queues the mails that carry a single-use link: address verification and password reset. */
final class AccountMails {
    static final Duration VERIFY_LIFETIME = Duration.ofHours(48);
    static final Duration RESET_LIFETIME = Duration.ofHours(1);

    private final Database db;
    private final Mailer mailer;
    private final Clock clock;

    AccountMails(Database db, Mailer mailer, Clock clock) {
        this.db = db;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** A new verification link; the ones sent before stop working. */
    void sendVerification(User user) {
        String token = newToken(user.id(), Purpose.VERIFY_EMAIL, VERIFY_LIFETIME, "ev_");
        String link = mailer.link("/api/auth/verify-email?token=" + enc(token));
        mailer.queue(new OutgoingMail(user.id(), "verify", user.email(), "Confirm your e-mail address",
                "Hello " + user.username() + ",\n\n"
                        + "please confirm that this is your e-mail address by opening this link:\n\n" + link + "\n\n"
                        + "The link works once, for " + VERIFY_LIFETIME.toHours() + " hours. Until then you can watch and chat, "
                        + "but not go live.\n\nIf you did not sign up, ignore this mail.\n", null));
    }

    /** A new reset link; the ones sent before stop working. */
    void sendReset(User user) {
        String token = newToken(user.id(), Purpose.PASSWORD_RESET, RESET_LIFETIME, "pr_");
        String link = mailer.link("/reset-password?token=" + enc(token));
        mailer.queue(new OutgoingMail(user.id(), "reset", user.email(), "Reset your password",
                "Hello " + user.username() + ",\n\n"
                        + "someone (we hope you) asked to reset the password of your account. Choose a new one here:\n\n"
                        + link + "\n\n"
                        + "The link works once, for " + RESET_LIFETIME.toMinutes() + " minutes. Choosing a new password logs "
                        + "out every session of the account.\n\nIf you did not ask for this, ignore this mail: your password "
                        + "stays as it is.\n", null));
    }

    private String newToken(long userId, Purpose purpose, Duration lifetime, String prefix) {
        db.accountTokens().revokeAll(userId, purpose);
        String token = Secrets.newToken(prefix);
        db.accountTokens().create(userId, purpose, Secrets.sha256Hex(token), clock.instant().plus(lifetime));
        return token;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
