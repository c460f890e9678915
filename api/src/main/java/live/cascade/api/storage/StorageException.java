package live.cascade.api.storage;

/** The store refused or could not be reached; {@code retryable} is false when trying again cannot help (403, 404). */
public final class StorageException extends Exception {
    private final boolean retryable;
    private final int httpStatus;

    public StorageException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, 0, cause);
    }

    /** @param httpStatus what the store answered (404, 416, 503...), 0 when it did not answer */
    public StorageException(String message, boolean retryable, int httpStatus, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    public int httpStatus() { return httpStatus; }

    public StorageException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() { return retryable; }
}
