package live.cascade.api.storage;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.LongSupplier;

/** The upload queue in {@code /metrics}: node-wide figures only, no per-recording labels. */
public final class StorageMetrics {
    private StorageMetrics() {
    }

    public static void bind(MeterRegistry registry, UploadQueue queue, LongSupplier bytesUploaded) {
        Gauge.builder("cascade_storage_upload_backlog", queue, UploadQueue::backlog)
                .description("Uploads to object storage waiting in the on-disk queue").register(registry);
        FunctionCounter.builder("cascade_storage_uploads", queue, UploadQueue::uploaded)
                .description("Recordings and clips moved to object storage (verified)").register(registry);
        FunctionCounter.builder("cascade_storage_upload_failures", queue, UploadQueue::failures)
                .description("Upload attempts that failed and wait to be retried").register(registry);
        FunctionCounter.builder("cascade_storage_upload_refused", queue, UploadQueue::refused)
                .description("Uploads not queued because the backlog was full (they stay on local disk for now)").register(registry);
        FunctionCounter.builder("cascade_storage_uploaded_bytes", bytesUploaded, LongSupplier::getAsLong)
                .description("Media bytes uploaded to object storage").register(registry);
    }
}
