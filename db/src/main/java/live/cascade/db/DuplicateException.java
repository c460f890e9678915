package live.cascade.db;

/** A write collided with a unique value that already exists, e.g. a username taken case-insensitively. */
public final class DuplicateException extends ConstraintViolationException {
    /** @param field the field holding the duplicate: "username", "email", "slug", "streamKey", ... */
    public DuplicateException(String field, String constraint, Throwable cause) {
        super(field + " already exists", field, constraint, cause);
    }
}
