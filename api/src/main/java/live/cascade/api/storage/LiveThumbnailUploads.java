package live.cascade.api.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Copies each live channel's refreshed still to {@code {prefix}thumbnails/live/<slug>.jpg}, so directory pages and
 * other nodes can show it from the bucket. One pass per call, on the caller's own thread (never a media or tap
 * thread): a still is uploaded only when it changed since the last upload, and a store that fails costs one
 * attempt per pass, logged once per outage; a live still is replaced within a few seconds anyway, so nothing queues.
 */
public final class LiveThumbnailUploads {
    private static final Logger LOG = LoggerFactory.getLogger(LiveThumbnailUploads.class);

    /** A live channel's current still on local disk. */
    public record Still(String slug, Path file) {
    }

    private final ObjectStore store;
    private final StorageKeys keys;
    private final Supplier<Collection<Still>> stills;
    /** Per slug, the modification time of the still last uploaded. */
    private final Map<String, Long> uploaded = new HashMap<>();
    private boolean failing;

    public LiveThumbnailUploads(ObjectStore store, StorageKeys keys, Supplier<Collection<Still>> stills) {
        this.store = store;
        this.keys = keys;
        this.stills = stills;
    }

    /** Uploads every still that changed; returns how many went up. */
    public synchronized int runOnce() {
        int sent = 0;
        Map<String, Long> seen = new HashMap<>();
        for (Still s : stills.get()) {
            try {
                if (!Files.isRegularFile(s.file())) continue;
                long modified = Files.getLastModifiedTime(s.file()).toMillis();
                seen.put(s.slug(), modified);
                if (Long.valueOf(modified).equals(uploaded.get(s.slug()))) continue;
                store.put(keys.liveThumbnail(s.slug()), s.file(), "image/jpeg");
                uploaded.put(s.slug(), modified);
                sent++;
                if (failing) LOG.info("live thumbnails reach object storage again");
                failing = false;
            } catch (StorageException | IOException e) {
                if (!failing) LOG.warn("live thumbnail of {} not uploaded (retried on the next pass): {}", s.slug(), e.getMessage());
                failing = true;
            } catch (IllegalArgumentException e) {
                LOG.warn("live thumbnail of {} skipped: {}", s.slug(), e.getMessage());
            }
        }
        uploaded.keySet().retainAll(seen.keySet()); // channels no longer live
        return sent;
    }
}
