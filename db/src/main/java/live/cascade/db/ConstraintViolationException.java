package live.cascade.db;

/**
 * A write broke one of the schema's constraints. Callers answer in terms of their input, so it names the field of our
 * records concerned, not only the constraint.
 */
public abstract sealed class ConstraintViolationException extends DatabaseException
        permits DuplicateException, ReferenceNotFoundException {
    private final String field;
    private final String constraint;

    ConstraintViolationException(String message, String field, String constraint, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.constraint = constraint;
    }

    /** The field of our records concerned: "username", "email", "userId", "topFriendIds", ... */
    public String field() {
        return field;
    }

    /** The violated constraint as the schema names it, or null if the database did not say. */
    public String constraint() {
        return constraint;
    }
}
