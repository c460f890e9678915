package live.cascade.api.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import live.cascade.api.http.ApiException;
import live.cascade.api.storage.ObjectStore;
import live.cascade.api.storage.StorageException;
import live.cascade.api.storage.StorageKeys;
import live.cascade.db.Recording;
import live.cascade.hls.media.FfmpegException;
import live.cascade.hls.record.ClipCutter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a clip's media out of a recording into a clip directory of its own: from the part its start falls in, from a
 * scratch copy when the recording is kept in object storage, with the parent's poster beside it. One FFmpeg cut at a
 * time, on its own thread, bounded in time. {@link RecordingResource} validates the request and writes the clip's row.
 */
final class ClipMaker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClipMaker.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cut clip, its poster (relative to the data directory, or null) and where its part starts in the recording. */
    record Made(ClipCutter.Clip clip, String thumbnail, long partOffset) {}

    private final RecordingFiles files;
    private final RecordingParts parts;
    private final RecordingStorage storage;
    private final ExecutorService clipper = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("clipper").factory());

    ClipMaker(RecordingFiles files, RecordingParts parts, RecordingStorage storage) {
        this.files = files;
        this.parts = parts;
        this.storage = storage;
    }

    /** Cuts {@code [startMicros, endMicros)} of {@code src} (times from the recording's start); {@code stamp} names the directory. */
    Made make(Recording src, long startMicros, long endMicros, String stamp) {
        Path dir = files.newClipDirectory(src.channelId(), stamp, HexFormat.of().toHexDigits(RANDOM.nextInt()));
        Path target = dir.resolve("clip." + src.container());
        // A recording in parts: the clip comes from the part its start is in (and ends at that part's end at most).
        if (!src.stored() && files.resolve(src.mediaPath()).filter(Files::isRegularFile).isEmpty()) {
            throw new ApiException(409, "Conflict", "The media file of recording " + src.id() + " is missing on this node.");
        }
        // A stored recording is fetched from the bucket to a scratch directory first (FFmpeg cuts from a file).
        Path scratch = src.stored() ? files.root().resolve(".fetch-" + HexFormat.of().toHexDigits(RANDOM.nextLong())) : null;
        ClipCutter.Clip clip;
        long partOffset;
        try {
            RecordingParts.Source source = scratch == null ? parts.local(src) : fetch(src, scratch);
            RecordingParts.Position from = src.parts() > 1 ? parts.locate(src, startMicros, source) : new RecordingParts.Position(source.file(1), startMicros);
            partOffset = startMicros - from.micros();
            long offset = partOffset;
            Future<ClipCutter.Clip> job = clipper.submit(() -> ClipCutter.cut(from.file(), target, from.micros(), endMicros - offset));
            clip = cutResult(job, dir, src);
            copyPoster(src, dir, scratch);
        } finally {
            if (scratch != null) RecordingFiles.deleteTree(scratch);
        }
        String thumb = Files.isRegularFile(dir.resolve("thumbnail.jpg")) ? files.relative(dir.resolve("thumbnail.jpg")) : null;
        return new Made(clip, thumb, partOffset);
    }

    /** Every part of a stored recording, downloaded into {@code scratch} under the names the recorder gave them. */
    private RecordingParts.Source fetch(Recording src, Path scratch) {
        ObjectStore s = StoredRecordings.store(storage, src);
        Path first = scratch.resolve(src.storageKey().substring(src.storageKey().lastIndexOf('/') + 1));
        try {
            Files.createDirectories(scratch);
            for (int n = 1; n <= src.parts(); n++) s.download(StorageKeys.part(src.storageKey(), n), live.cascade.hls.record.Recorder.partFile(first, n));
        } catch (IOException e) {
            throw new ApiException(500, "Internal Server Error", "Recording " + src.id() + " cannot be fetched for cutting: " + e.getMessage());
        } catch (StorageException e) {
            LOG.warn("recording {}: cannot fetch from object storage for a clip: {}", src.id(), e.getMessage());
            throw StoredRecordings.unavailable(e);
        }
        return n -> live.cascade.hls.record.Recorder.partFile(first, n);
    }

    /** The parent's poster, copied beside the clip (from the bucket when it is stored there). */
    private void copyPoster(Recording src, Path dir, Path scratch) {
        Path t = dir.resolve("thumbnail.jpg");
        try {
            if (src.thumbnailKey() != null) {
                StoredRecordings.store(storage, src).download(src.thumbnailKey(), t);
                return;
            }
            Optional<Path> parentThumb = files.resolve(src.thumbnailPath()).filter(Files::isRegularFile);
            if (parentThumb.isPresent()) Files.copy(parentThumb.get(), t);
        } catch (IOException | StorageException | ApiException e) {
            LOG.warn("clip of recording {}: poster not copied: {}", src.id(), e.getMessage());
        }
    }

    private ClipCutter.Clip cutResult(Future<ClipCutter.Clip> job, Path dir, Recording src) {
        try {
            return job.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            RecordingFiles.deleteTree(dir);
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) throw ApiException.invalidField("start", cause.getMessage());
            LOG.error("clip of recording {} failed: {}", src.id(), cause.toString());
            throw new ApiException(500, "Internal Server Error", "The clip could not be cut: " + (cause instanceof FfmpegException ? cause.getMessage() : cause.toString()));
        } catch (TimeoutException e) {
            job.cancel(true);
            throw new ApiException(503, "Service Unavailable", "Cutting the clip takes too long; try a shorter one.").header("Retry-After", "30");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Service Unavailable", "The server is stopping.");
        }
    }

    @Override
    public void close() {
        clipper.shutdownNow();
    }
}
