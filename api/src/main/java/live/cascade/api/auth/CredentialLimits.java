package live.cascade.api.auth;

import io.javalin.config.JavalinConfig;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Validator;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;

/**
 * How long a credential can be, checked before anything is hashed or looked up: a real username, email, password or
 * token is far below these, and a 900 KB "password" is only CPU and memory for an attacker to spend.
 */
public final class CredentialLimits {
    /** RFC 5321's limit on an address (usernames are at most 25). */
    public static final int LOGIN = 254;
    public static final int PASSWORD = PasswordPolicy.MAX_LENGTH;
    /** Session tokens and stream keys are about 50 characters. */
    public static final int TOKEN = 200;
    /** Bodies of /api/auth requests: the fields above with room to spare. */
    public static final long AUTH_BODY_BYTES = 8 * 1024;

    private final Refusals refusals;

    public CredentialLimits(Refusals refusals) {
        this.refusals = refusals;
    }

    /** 413 for an /api/auth body that declares more than {@link #AUTH_BODY_BYTES}, before it is read. */
    public void install(JavalinConfig cfg) {
        cfg.routes.before("/api/auth/*", ctx -> {
            long length = ctx.req().getContentLengthLong();
            if (length > AUTH_BODY_BYTES) {
                refusals.count(RefusalReason.CREDENTIAL_TOO_LONG);
                throw new ApiException(413, "Content Too Large", "Sign-up, login and password requests are at most "
                        + AUTH_BODY_BYTES + " bytes; this one declares " + length + ".");
            }
        });
    }

    /** Adds a 400 field error, and counts it, when {@code value} is longer than {@code max} characters. */
    public boolean check(Validator v, String field, String value, int max) {
        if (value == null || value.length() <= max || value.codePointCount(0, value.length()) <= max) return true;
        refusals.count(RefusalReason.CREDENTIAL_TOO_LONG);
        v.error(field, "must be at most " + max + " characters long");
        return false;
    }
}
