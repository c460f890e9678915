package live.cascade.api.recordings;

import live.cascade.api.http.ApiException;
import live.cascade.api.storage.ObjectStore;
import live.cascade.api.storage.StorageException;
import live.cascade.db.Recording;

/** The object store a stored recording is kept in, and the answer when it cannot be reached. */
final class StoredRecordings {
    private StoredRecordings() {}

    static ObjectStore store(RecordingStorage storage, Recording r) {
        return storage.store().orElseThrow(() -> new ApiException(503, "Service Unavailable", "Recording " + r.id()
                + " is kept in object storage, but this node runs with --storage local; start it with --storage s3."));
    }

    static ApiException unavailable(StorageException e) {
        return new ApiException(503, "Service Unavailable", "The object store cannot be reached (" + e.getMessage() + "); try again shortly.")
                .header("Retry-After", "10");
    }
}
