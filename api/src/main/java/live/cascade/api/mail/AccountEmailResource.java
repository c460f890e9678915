package live.cascade.api.mail;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.PasswordHashing;
import live.cascade.api.auth.PasswordPolicy;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.Secrets;
import live.cascade.api.auth.SignupListener;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.AccountTokenRepository.Purpose;
import live.cascade.db.Database;
import live.cascade.db.User;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Address verification and password reset by mailed single-use links. A reset request answers 202 whether or not the
 * address belongs to an account, and does the lookup and the mail on a background thread so its timing tells nothing
 * either.
 */
public final class AccountEmailResource implements SignupListener {
    private static final int MAX_TOKEN = 128;
    private static final int MAX_EMAIL = 254;
    private static final Duration WINDOW = Duration.ofHours(1);
    /** Reset requests per client address per hour (429 past it: this says nothing about any account). */
    private static final int RESETS_PER_IP = 20;
    /** Reset mails per address per hour; past it requests still get 202, but no mail, so nobody can mail-bomb. */
    private static final int RESETS_PER_ADDRESS = 3;
    private static final int RESENDS_PER_ACCOUNT = 5;

    private final Database db;
    private final Authenticator auth;
    private final PasswordHashing hashing;
    private final PasswordPolicy policy;
    private final NodeCommands commands;
    private final RateLimiter limiter;
    private final Mailer mailer;
    private final AccountMails mails;

    AccountEmailResource(Database db, Authenticator auth, PasswordHashing hashing, PasswordPolicy policy, NodeCommands commands,
                         RateLimiter limiter, Mailer mailer, AccountMails mails) {
        this.db = db;
        this.auth = auth;
        this.hashing = hashing;
        this.policy = policy;
        this.commands = commands;
        this.limiter = limiter;
        this.mailer = mailer;
        this.mails = mails;
    }

    record ResetRequest(String email) {
    }

    record ResetConfirm(String token, String password) {
    }

    record TokenBody(String token) {
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/auth/password-reset", this::requestReset);
        cfg.routes.post("/api/auth/password-reset/confirm", this::confirmReset);
        cfg.routes.get("/api/auth/verify-email", this::verifyByLink);
        cfg.routes.post("/api/auth/verify-email", this::verify);
        cfg.routes.post("/api/auth/verify-email/resend", this::resend);
    }

    /** A new account gets its verification link, when mail is on (off: nothing to verify against, nothing gated). */
    @Override
    public void signedUp(User user) {
        if (mailer.enabled()) mails.sendVerification(user);
    }

    private void requestReset(Context ctx) {
        mailer.require("password reset");
        ResetRequest req = Json.body(ctx, ResetRequest.class);
        Validator v = new Validator();
        if (v.check(req.email() != null && !req.email().isBlank(), "email", "is required"))
            v.check(req.email().length() <= MAX_EMAIL, "email", "must be at most " + MAX_EMAIL + " characters");
        v.throwIfInvalid();
        String ip = ClientAddress.of(ctx);
        RateLimiter.Decision byIp = limiter.acquire("reset:ip:" + ClientAddress.limitKey(ip), RESETS_PER_IP, WINDOW);
        if (!byIp.allowed()) {
            long s = Math.max(1, byIp.retryAfter().toSeconds());
            throw ApiException.tooManyRequests("Too many password reset requests from your network; try again in " + s + " s.", s);
        }
        String email = req.email().strip();
        mailer.background("password reset request", () -> {
            if (!limiter.acquire("reset:addr:" + email.toLowerCase(Locale.ROOT), RESETS_PER_ADDRESS, WINDOW).allowed()) return;
            db.users().findByEmail(email).filter(u -> !u.suspended()).ifPresent(mails::sendReset);
        });
        ctx.status(202).json(java.util.Map.of("detail",
                "If an account has this address, a link to choose a new password is on its way to it. It works for "
                        + AccountMails.RESET_LIFETIME.toMinutes() + " minutes."));
    }

    private void confirmReset(Context ctx) {
        ResetConfirm req = Json.body(ctx, ResetConfirm.class);
        Validator v = new Validator();
        if (v.check(req.token() != null && !req.token().isBlank(), "token", "is required (from the link in the mail)"))
            v.check(req.token().length() <= MAX_TOKEN, "token", "is not a reset token");
        v.check(req.password() != null, "password", "is required");
        v.throwIfInvalid();
        String hash = Secrets.sha256Hex(req.token().strip());
        long userId = db.accountTokens().peek(hash, Purpose.PASSWORD_RESET).orElseThrow(AccountEmailResource::badLink);
        User user = db.users().findById(userId).orElseThrow(AccountEmailResource::badLink);
        Validator pv = new Validator();
        policy.problem(req.password(), user.username()).ifPresent(p -> pv.error("password", p));
        pv.throwIfInvalid();
        String passwordHash = hashing.hash(req.password());
        // Consumed only now, so a password the policy refused leaves the link usable for a better one.
        if (db.accountTokens().consume(hash, Purpose.PASSWORD_RESET).isEmpty()) throw badLink();
        db.users().updatePassword(userId, passwordHash);
        // Whoever read the mail controls the address.
        db.users().markEmailVerified(userId);
        db.sessions().deleteAllForUser(userId);
        commands.send(new NodeCommand.RevokeUser(userId, NodeCommand.Revocation.PASSWORD_CHANGED));
        ctx.status(204);
    }

    /** The link in the verification mail: verifies, then sends the browser to the app with the outcome. */
    private void verifyByLink(Context ctx) {
        String token = ctx.queryParam("token");
        boolean ok = token != null && token.length() <= MAX_TOKEN && consumeVerification(token).isPresent();
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(ok ? "/?emailVerified=1" : "/?emailVerified=0", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void verify(Context ctx) {
        TokenBody req = Json.body(ctx, TokenBody.class);
        Validator v = new Validator();
        if (v.check(req.token() != null && !req.token().isBlank(), "token", "is required (from the link in the mail)"))
            v.check(req.token().length() <= MAX_TOKEN, "token", "is not a verification token");
        v.throwIfInvalid();
        if (consumeVerification(req.token()).isEmpty()) throw badLink();
        ctx.status(204);
    }

    private Optional<Long> consumeVerification(String token) {
        Optional<Long> user = db.accountTokens().consume(Secrets.sha256Hex(token.strip()), Purpose.VERIFY_EMAIL);
        user.ifPresent(id -> db.users().markEmailVerified(id));
        return user;
    }

    private void resend(Context ctx) {
        Principal p = auth.require(ctx);
        mailer.require("address verification");
        if (p.user().emailVerified()) throw ApiException.conflict("email", "Your e-mail address is already verified.");
        RateLimiter.Decision d = limiter.acquire("verify:resend:" + p.id(), RESENDS_PER_ACCOUNT, WINDOW);
        if (!d.allowed()) {
            long s = Math.max(1, d.retryAfter().toSeconds());
            throw ApiException.tooManyRequests("Several verification mails were sent recently; check your spam folder, or try again in " + s + " s.", s);
        }
        mails.sendVerification(p.user());
        ctx.status(202).json(java.util.Map.of("detail", "A new verification link is on its way to " + p.user().email() + "."));
    }

    private static ApiException badLink() {
        return ApiException.invalidField("token", "This link is not valid: it was already used, it expired, or a newer one was sent. Ask for a new one.");
    }
}
