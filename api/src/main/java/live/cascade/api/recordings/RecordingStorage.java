package live.cascade.api.recordings;

import live.cascade.api.config.StorageConfig;
import live.cascade.api.storage.ObjectStore;
import live.cascade.api.storage.S3Storage;
import live.cascade.api.storage.StorageException;
import live.cascade.api.storage.StorageKeys;
import live.cascade.api.storage.UploadQueue;
import live.cascade.db.Database;
import live.cascade.db.Recording;
import live.cascade.hls.record.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recordings and clips in object storage: moves finished ones from the data directory to the bucket (through the
 * on-disk {@link UploadQueue}), and tells playback, clipping and retention where a row's objects are.
 *
 * <p>What moves, per row: every media part, the VOD playlist (rendered from the local files, with a placeholder for
 * the playback token, since the index needs the {@code moov}/{@code moof} boxes), and the poster. Only once every
 * object is verified (size and checksum) is the row marked stored; only then is the local directory deleted. A row
 * deleted meanwhile has its objects removed again. Rows are found by scanning for {@code storage_key IS NULL} whose
 * media is on this node, so an upload refused by a full backlog, lost by a crash, or belonging to a library that was
 * local before {@code --storage s3} was set is offered again on a later pass.
 */
public final class RecordingStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingStorage.class);
    /** Stands for the playback token in a stored VOD playlist; replaced when the playlist is served. */
    static final String TOKEN_PLACEHOLDER = "__CASCADE_PLAYBACK_TOKEN__";
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final ObjectStore store;
    private final StorageKeys keys;
    private final StorageConfig config;
    private final Database db;
    private final RecordingFiles files;
    private final UploadQueue queue;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private long scanCursor;

    private RecordingStorage(ObjectStore store, StorageConfig config, Database db, RecordingFiles files, Path queueDir, Clock clock) throws IOException {
        this.store = store;
        this.config = config;
        this.keys = new StorageKeys(config.prefix());
        this.db = db;
        this.files = files;
        this.queue = store == null ? null : new UploadQueue(queueDir, config.uploadBacklog(), FIRST_BACKOFF, MAX_BACKOFF, clock, this::upload);
    }

    /** Local storage: nothing moves, everything is served from the data directory as before. */
    public static RecordingStorage local(Database db, RecordingFiles files) {
        try {
            return new RecordingStorage(null, StorageConfig.local(), db, files, null, Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalStateException(e); // no queue directory is touched without a store
        }
    }

    /** Object storage: {@code store} is the bucket; the upload queue lives in {@code <data-dir>/uploads}. */
    public static RecordingStorage remote(ObjectStore store, StorageConfig config, Database db, RecordingFiles files, Path dataDir, Clock clock)
            throws IOException {
        return new RecordingStorage(store, config, db, files, dataDir.resolve("uploads"), clock);
    }

    /** From the node's config: {@link S3Storage} for {@code --storage s3}, else local. */
    public static RecordingStorage of(StorageConfig config, Database db, RecordingFiles files, Path dataDir, Clock clock) throws IOException {
        if (config.kind() == StorageConfig.Kind.LOCAL) return local(db, files);
        return remote(new S3Storage(config), config, db, files, dataDir, clock);
    }

    public boolean remote() { return store != null; }

    public Optional<ObjectStore> store() { return Optional.ofNullable(store); }

    public Optional<UploadQueue> queue() { return Optional.ofNullable(queue); }

    public StorageConfig config() { return config; }

    public StorageKeys keys() { return keys; }

    public long bytesUploaded() { return bytesUploaded.get(); }

    /** Starts the upload worker (object storage only). */
    public void start() {
        if (queue != null) queue.start();
    }

    /**
     * Offers the rows whose media still lies on this node's disk to the upload queue, up to its free room; returns
     * how many were newly queued. Called periodically and after a recording or clip is written.
     */
    public synchronized int offerLocal() {
        if (queue == null) return 0;
        int queued = 0;
        int room = queue.maxBacklog() - queue.backlog();
        List<Recording> batch = db.recordings().local(scanCursor, 200);
        for (Recording r : batch) {
            scanCursor = r.id();
            if (room <= 0) break;
            if (queue.queued(r.id()) || files.resolve(r.mediaPath()).filter(Files::isRegularFile).isEmpty()) continue;
            // A row whose recording is still being attached keeps its pending file: its directory is not final yet.
            if (files.resolve(r.mediaPath()).map(p -> Files.exists(p.resolveSibling(PendingRecording.FILE))).orElse(false)) continue;
            if (queue.submit(r.id())) {
                queued++;
                room--;
            }
        }
        if (batch.size() < 200) scanCursor = 0; // the end: start over next time (refused rows come round again)
        return queued;
    }

    /** Offers every local row until the queue is full or none is left (the migration's first step). */
    public synchronized int offerAll() {
        int total = 0;
        scanCursor = 0;
        do {
            total += offerLocal();
        } while (scanCursor != 0 && queue.backlog() < queue.maxBacklog());
        return total;
    }

    /** One upload: the queue's task. Throws to be retried. */
    void upload(long id) throws StorageException {
        Optional<Recording> found = db.recordings().findById(id);
        if (found.isEmpty() || found.get().stored()) return; // deleted meanwhile, or moved already
        Recording r = found.get();
        Path first = files.resolve(r.mediaPath()).filter(Files::isRegularFile)
                .orElseThrow(() -> new StorageException("the media of recording " + id + " (" + r.mediaPath() + ") is not on this node", false));
        String mediaKey = keys.media(r.mediaPath(), r.clip());
        String contentType = contentType(r);
        List<String> uploaded = new ArrayList<>();
        try {
            for (int n = 1; n <= r.parts(); n++) {
                Path part = Recorder.partFile(first, n);
                String key = StorageKeys.part(mediaKey, n);
                bytesUploaded.addAndGet(store.put(key, part, contentType).size());
                uploaded.add(key);
            }
            if (r.container().equals("mp4")) {
                Path playlist = first.resolveSibling("index.m3u8.upload");
                try {
                    Files.writeString(playlist, new RecordingParts(files).playlist(r, TOKEN_PLACEHOLDER), StandardCharsets.UTF_8);
                    store.put(StorageKeys.playlist(mediaKey), playlist, "application/vnd.apple.mpegurl");
                    uploaded.add(StorageKeys.playlist(mediaKey));
                } finally {
                    Files.deleteIfExists(playlist);
                }
            }
            String thumbKey = null;
            Optional<Path> thumb = files.resolve(r.thumbnailPath()).filter(Files::isRegularFile);
            if (thumb.isPresent()) {
                thumbKey = keys.thumbnail(r.mediaPath());
                store.put(thumbKey, thumb.get(), "image/jpeg");
                uploaded.add(thumbKey);
            }
            if (!db.recordings().markStored(id, mediaKey, thumbKey)) {
                LOG.info("recording {} was deleted during its upload; removing its objects", id);
                deleteQuietly(uploaded);
                return;
            }
        } catch (IOException e) {
            throw new StorageException("cannot prepare recording " + id + " for upload: " + e.getMessage(), true, e);
        }
        // Safe remotely (verified, and the row points there): only now does the local copy go.
        files.deleteDirectoryOf(r.mediaPath());
        LOG.info("recording {} moved to object storage under {}", id, mediaKey);
    }

    private void deleteQuietly(List<String> keys) {
        for (String k : keys) {
            try {
                store.delete(k);
            } catch (StorageException e) {
                LOG.warn("could not remove {} from object storage: {}", k, e.getMessage());
            }
        }
    }

    /** Every object of a stored row: media parts, playlist, poster. */
    List<String> objectsOf(Recording r) {
        List<String> out = new ArrayList<>();
        if (r.storageKey() != null) {
            for (int n = 1; n <= r.parts(); n++) out.add(StorageKeys.part(r.storageKey(), n));
            if (r.container().equals("mp4")) out.add(StorageKeys.playlist(r.storageKey()));
        }
        if (r.thumbnailKey() != null) out.add(r.thumbnailKey());
        return out;
    }

    /**
     * Removes a row's media wherever it is: its objects (throws when the store cannot be reached, so the caller keeps
     * the row and tries again) and its local directory.
     */
    void deleteMedia(Recording r) throws StorageException {
        if (r.stored() || r.thumbnailKey() != null) {
            ObjectStore s = store().orElseThrow(() -> new StorageException("recording " + r.id()
                    + " is in object storage but this node runs with --storage local", false));
            for (String k : objectsOf(r)) s.delete(k);
        }
        files.deleteDirectoryOf(r.mediaPath());
    }

    static String contentType(Recording r) {
        return r.container().equals("mp4") ? "video/mp4" : "video/webm";
    }

    @Override
    public void close() {
        if (queue != null) queue.close();
        if (store != null) store.close();
    }
}
