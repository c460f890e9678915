package live.cascade.db;

/** The database could not be reached or did not answer in time; /readyz reports this as an outage. */
public final class DatabaseUnavailableException extends DatabaseException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
