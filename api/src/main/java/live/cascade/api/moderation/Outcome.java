package live.cascade.api.moderation;

import live.cascade.api.http.FieldError;

import java.util.List;

/**
 * What a moderation rule decided: done, with what it produced, or refused for a named reason. {@link Moderation}
 * returns these and knows no HTTP; {@link ModerationResource} turns each refusal into its status in one switch.
 */
sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {
    }

    /** Fields of the request that break a rule, all of them at once. */
    record Invalid<T>(List<FieldError> errors) implements Outcome<T> {
        Invalid(String field, String detail) {
            this(List.of(new FieldError(field, detail)));
        }
    }

    /** The request as a whole makes no sense (appointing the owner). */
    record Pointless<T>(String detail) implements Outcome<T> {
    }

    /** Allowed to moderate, but not this target. */
    record Forbidden<T>(String detail) implements Outcome<T> {
    }

    record NotFound<T>(String detail) implements Outcome<T> {
    }

    /** The target's state forbids it (a report already resolved). */
    record Conflict<T>(String field, String detail) implements Outcome<T> {
    }

    record TooMany<T>(String detail, long retryAfterSeconds) implements Outcome<T> {
    }
}
