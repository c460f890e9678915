package live.cascade.db;

/** A write collided with a unique value that already exists, e.g. a username taken case-insensitively. */
public final class DuplicateException extends DatabaseException {
    private final String field;
    private final String constraint;

    public DuplicateException(String field, String constraint, Throwable cause) {
        super(field + " already exists", cause);
        this.field = field;
        this.constraint = constraint;
    }

    /** The field of our records that holds the duplicate: "username", "email", "slug", "streamKey", ... */
    public String field() {
        return field;
    }

    /** The violated constraint as the schema names it, or null if the database did not say. */
    public String constraint() {
        return constraint;
    }
}
