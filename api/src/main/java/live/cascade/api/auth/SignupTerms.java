package live.cascade.api.auth;

import java.util.function.LongConsumer;

/**
 * The Terms a signup must accept (trust and safety owns the texts): {@link #check} refuses a signup that does not
 * accept the current version, and returns what records the acceptance once the account exists.
 */
@FunctionalInterface
public interface SignupTerms {
    SignupTerms NONE = termsVersion -> userId -> { };

    /** @throws live.cascade.api.http.ApiException 400 naming {@code termsVersion} when it is not the current one */
    LongConsumer check(Integer termsVersion);
}
