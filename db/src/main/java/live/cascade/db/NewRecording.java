package live.cascade.db;

import java.time.Instant;
import java.util.Objects;

/** What a new recording (or clip) row holds; see {@link Recording} for the fields. */
public record NewRecording(long channelId, Long streamSessionId, Long parentId, String title, String status, String error,
                           String container, String videoCodec, String audioCodec, int width, int height,
                           long durationMillis, long sizeBytes, String mediaPath, String thumbnailPath,
                           Long clipStartMillis, Instant startedAt, int parts) {
    public NewRecording {
        if (parts < 1) throw new IllegalArgumentException("a recording has at least one part");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(mediaPath, "mediaPath");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
