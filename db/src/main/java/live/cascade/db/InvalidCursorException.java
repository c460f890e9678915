package live.cascade.db;

/** A paging cursor that this module did not issue (or a client mangled); the API answers 400. */
public final class InvalidCursorException extends IllegalArgumentException {
    public InvalidCursorException(String message) {
        super(message);
    }
}
