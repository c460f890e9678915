package live.cascade.api.storage;

import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code "storage"} in {@code /readyz}: which store, whether it answered the last probe, and the upload backlog.
 * Probed in the background ({@link #probe()}), since a readiness check must answer at once. The store away never
 * stops the node from taking sessions (broadcasts record to local disk and upload later): degraded, not down.
 */
public final class StorageReadiness implements ReadinessComponent {
    private final ObjectStore store;
    private final UploadQueue queue;
    private final Clock clock;
    private volatile String probeError;
    private volatile Instant probedAt;

    public StorageReadiness(ObjectStore store, UploadQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** Reaches the store once; when it answers again after an outage, waiting uploads are tried at once. */
    public void probe() {
        String before = probeError;
        try {
            store.ping();
            probeError = null;
            if (before != null) queue.retryNow();
        } catch (StorageException e) {
            probeError = e.getMessage();
        }
        probedAt = clock.instant();
    }

    @Override
    public String name() { return "storage"; }

    @Override
    public Readiness check() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", store.kind());
        d.put("backlog", queue.backlog());
        d.put("maxBacklog", queue.maxBacklog());
        d.put("uploaded", queue.uploaded());
        d.put("failedAttempts", queue.failures());
        d.put("refused", queue.refused());
        if (queue.lastError() != null) {
            d.put("lastError", queue.lastError());
            d.put("lastErrorAt", queue.lastErrorAt().toString());
        }
        if (probedAt != null) d.put("probedAt", probedAt.toString());
        String err = probeError;
        if (err != null) {
            d.put("probeError", err);
            return new Readiness.Degraded("The object store does not answer (" + err + "): recordings wait on local disk and upload once it is back;"
                    + " check --s3-endpoint, --s3-bucket and the credentials.", d);
        }
        if (queue.backlog() >= queue.maxBacklog()) {
            return new Readiness.Degraded("The upload backlog is full (" + queue.backlog() + "): newer recordings stay on local disk until it drains;"
                    + " raise --storage-upload-backlog or check the store's speed.", d);
        }
        if (probedAt == null) return new Readiness.Ok("The object store has not been probed yet.", d);
        return new Readiness.Ok("The object store answers; " + queue.backlog() + " upload(s) waiting.", d);
    }
}
