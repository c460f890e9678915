package live.cascade.api.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where finished recordings, clips and posters are kept: the node's disk ({@link LocalStorage}, the embedded
 * default) or an S3-compatible bucket ({@link S3Storage}). Every failure of the store is a {@link StorageException}
 * (a value the caller handles: the upload queue retries, playback answers with a problem document).
 */
public sealed interface ObjectStore extends AutoCloseable permits LocalStorage, S3Storage {
    /** {@code local} or {@code s3}, as in {@code --storage}. */
    String kind();

    /**
     * Stores {@code file} under {@code key}, and answers only once the store holds exactly its bytes: the size and
     * checksum of what it kept are checked against the file's, so the caller may then delete the file.
     */
    StoredObject put(String key, Path file, String contentType) throws StorageException;

    /** What the store holds under {@code key}, if anything. */
    Optional<StoredObject> head(String key) throws StorageException;

    /** Removes {@code key}; removing what is not there is no error. */
    void delete(String key) throws StorageException;

    /** Copies the object to {@code target} (replacing it). */
    void download(String key, Path target) throws StorageException;

    /** The whole of a small object (a playlist). */
    byte[] read(String key) throws StorageException;

    /**
     * The object, or the byte range {@code range} of it (an HTTP {@code Range} value, passed on as it is), for a node
     * that streams objects itself.
     */
    Ranged open(String key, String range) throws StorageException;

    /** A URL anyone may GET the object by until {@code lifetime} has passed; empty when the store has none (disk). */
    Optional<URI> presign(String key, Duration lifetime, String contentType);

    /** Reaches the store (for {@code /readyz}); throws when it cannot. */
    void ping() throws StorageException;

    @Override
    void close();

    /** An object the store holds: its size and its SHA-256 (hex; null when the store does not know it). */
    record StoredObject(String key, long size, String sha256) {
    }

    /** An open object or range of it: status 200 or 206, and the headers that go with it. */
    record Ranged(int status, long contentLength, String contentRange, String contentType, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (java.io.IOException e) {
                // Closing a response stream we are done with: nothing to recover.
            }
        }
    }
}
