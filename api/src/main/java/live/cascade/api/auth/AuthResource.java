package live.cascade.api.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.FieldError;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.db.Database;
import live.cascade.db.DuplicateException;
import live.cascade.db.Role;
import live.cascade.db.User;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Sign-up, login, the current session, password change and logging out (here or everywhere). */
public final class AuthResource {
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,25}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private final Database db;
    private final Authenticator auth;
    private final PasswordHashing hashing;
    private final PasswordPolicy policy;
    private final LoginThrottle throttle;
    private final SignupThrottle signups;
    private final CredentialLimits limits;
    private final NodeCommands commands;
    private final SignupListener signupListener;
    private volatile SignupTerms terms = SignupTerms.NONE;
    // A real hash to verify against when the login names nobody, so a miss costs as long as a wrong password.
    private final String decoyHash;

    public AuthResource(Database db, Authenticator auth, PasswordHashing hashing, PasswordPolicy policy, LoginThrottle throttle,
                        SignupThrottle signups, CredentialLimits limits, NodeCommands commands, SignupListener signupListener) {
        this.signupListener = signupListener;
        this.signups = signups;
        this.commands = commands;
        this.limits = limits;
        this.db = db;
        this.auth = auth;
        this.hashing = hashing;
        this.policy = policy;
        this.throttle = throttle;
        this.decoyHash = hashing.hash(Secrets.newToken(""));
    }

    record SignupRequest(String username, String email, String password, Integer termsVersion) {
    }

    record LoginRequest(String login, String password) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    record SessionJson(UserJson user, String token) {
    }

    /** Signups must accept the operator's current Terms once they are published (set once, at start). */
    public void requireTerms(SignupTerms terms) {
        this.terms = terms;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/auth/signup", this::signup);
        cfg.routes.post("/api/auth/login", this::login);
        cfg.routes.get("/api/auth/session", this::session);
        cfg.routes.delete("/api/auth/session", this::logout);
        cfg.routes.delete("/api/auth/sessions", this::logoutEverywhere);
        cfg.routes.post("/api/auth/password", this::changePassword);
    }

    private void signup(Context ctx) {
        SignupRequest req = Json.body(ctx, SignupRequest.class);
        Validator sizes = new Validator();
        limits.check(sizes, "username", req.username(), CredentialLimits.LOGIN);
        limits.check(sizes, "email", req.email(), CredentialLimits.LOGIN);
        limits.check(sizes, "password", req.password(), CredentialLimits.PASSWORD);
        sizes.throwIfInvalid();
        Validator v = new Validator();
        if (v.check(req.username() != null, "username", "is required"))
            v.check(USERNAME.matcher(req.username()).matches(), "username", "must be 3-25 letters, digits or underscores");
        if (v.check(req.email() != null, "email", "is required"))
            v.check(req.email().length() <= 254 && EMAIL.matcher(req.email()).matches(), "email", "must be an email address such as name@example.org");
        if (v.check(req.password() != null, "password", "is required"))
            policy.problem(req.password(), req.username()).ifPresent(p -> v.error("password", p));
        v.throwIfInvalid();
        java.util.function.LongConsumer accepted = terms.check(req.termsVersion());
        signups.admit(ClientAddress.of(ctx));
        User user;
        try {
            user = db.users().create(req.username(), req.email().strip(), hashing.hash(req.password()), Role.USER);
        } catch (DuplicateException e) {
            throw ApiException.conflict(e.field(), "This " + e.field() + " is already taken.");
        }
        accepted.accept(user.id());
        signupListener.signedUp(user);
        String token = auth.startSession(ctx, user.id());
        ctx.status(201).json(new SessionJson(UserJson.of(user, true), token));
    }

    private void login(Context ctx) {
        LoginRequest req = Json.body(ctx, LoginRequest.class);
        Validator v = new Validator();
        v.check(req.login() != null && !req.login().isBlank(), "login", "is required (your username or email)");
        v.check(req.password() != null && !req.password().isEmpty(), "password", "is required");
        limits.check(v, "login", req.login(), CredentialLimits.LOGIN);
        limits.check(v, "password", req.password(), CredentialLimits.PASSWORD);
        v.throwIfInvalid();
        String ip = ClientAddress.of(ctx);
        throttle.checkAddress(ip);
        Optional<User> found = db.users().findByLogin(req.login().strip());
        String account = found.map(User::username).orElse(req.login());
        throttle.checkAccount(ip, account);
        boolean ok = hashing.verify(req.password(), found.map(User::passwordHash).orElse(decoyHash)) && found.isPresent();
        if (!ok) {
            throttle.recordFailure(ip, account);
            throw ApiException.unauthorized("The username/email or password is wrong.");
        }
        User user = found.get();
        if (user.suspended()) throw ApiException.forbidden("This account is suspended; contact the administrators of this site.");
        throttle.recordSuccess(ip, account);
        String token = auth.startSession(ctx, user.id());
        ctx.json(new SessionJson(UserJson.of(user, true), token));
    }

    private void session(Context ctx) {
        Principal p = auth.require(ctx);
        ctx.json(Map.of("user", UserJson.of(p.user(), true)));
    }

    private void logout(Context ctx) {
        Principal p = auth.require(ctx);
        db.sessions().delete(p.tokenHash());
        commands.send(new NodeCommand.RevokeSession(p.tokenHash()));
        auth.clearCookie(ctx);
        ctx.status(204);
    }

    private void logoutEverywhere(Context ctx) {
        Principal p = auth.require(ctx);
        int n = db.sessions().deleteAllForUser(p.id());
        commands.send(new NodeCommand.RevokeUser(p.id(), NodeCommand.Revocation.LOGGED_OUT_EVERYWHERE));
        auth.clearCookie(ctx);
        ctx.json(Map.of("sessionsEnded", n));
    }

    /** Needs the current password; ends every other session, since a password change often answers a leak. */
    private void changePassword(Context ctx) {
        Principal p = auth.require(ctx);
        PasswordChange req = Json.body(ctx, PasswordChange.class);
        Validator v = new Validator();
        if (v.check(req.currentPassword() != null, "currentPassword", "is required"))
            limits.check(v, "currentPassword", req.currentPassword(), CredentialLimits.PASSWORD);
        if (v.check(req.newPassword() != null, "newPassword", "is required"))
            policy.problem(req.newPassword(), p.user().username()).ifPresent(m -> v.error("newPassword", m));
        v.throwIfInvalid();
        String ip = ClientAddress.of(ctx);
        throttle.checkAllowed(ip, p.user().username());
        if (!hashing.verify(req.currentPassword(), p.user().passwordHash())) {
            throttle.recordFailure(ip, p.user().username());
            throw new ApiException(403, "Forbidden", "The current password is wrong.", List.of(new FieldError("currentPassword", "is wrong")));
        }
        db.users().updatePassword(p.id(), hashing.hash(req.newPassword()));
        db.sessions().deleteAllForUser(p.id());
        // Each node re-checks the user's sockets, so the session started below keeps whatever opens with it.
        commands.send(new NodeCommand.RevokeUser(p.id(), NodeCommand.Revocation.PASSWORD_CHANGED));
        String token = auth.startSession(ctx, p.id());
        User updated = db.users().findById(p.id()).orElseThrow();
        ctx.json(new SessionJson(UserJson.of(updated, true), token));
    }
}
