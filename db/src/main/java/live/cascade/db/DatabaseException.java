package live.cascade.db;

/** A database operation failed for a reason the caller can't fix by changing its input. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
