package live.cascade.api.storage;

/** The store refused or could not be reached; {@code retryable} is false when trying again cannot help (403, 404). */
public final class StorageException extends Exception {
    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public StorageException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() { return retryable; }
}
