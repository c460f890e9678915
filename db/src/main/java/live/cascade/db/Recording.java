package live.cascade.db;

import java.time.Instant;

/**
 * A recording of a broadcast, or a clip of one.
 *
 * @param streamSessionId the broadcast it recorded, if known
 * @param parentId        for a clip, the recording it was cut from (null once that is deleted)
 * @param status          {@code ready}, or {@code partial} when recording stopped early (see {@code error})
 * @param container       {@code mp4} or {@code webm}
 * @param mediaPath       the media file, relative to the node's data directory
 * @param thumbnailPath   the poster image, relative to the data directory, or null
 * @param clipStartMillis for a clip, where it starts in its parent
 * @param publishedAt     null while it is a draft
 * @param takenDownAt     set when an admin took it down
 * @param parts           files the recording is in: 1, or more when it had to continue in a new file (the first is
 *                        {@code mediaPath}, the others beside it: {@code recording-2.mp4}, …)
 * @param storageKey      the object key of the first media part once uploaded to object storage; null while the
 *                        media is on the local disk ({@code mediaPath})
 * @param thumbnailKey    the object key of the poster once uploaded; null while it is local (or there is none)
 */
public record Recording(long id, long channelId, Long streamSessionId, Long parentId, String title, String status,
                        String error, String container, String videoCodec, String audioCodec, int width, int height,
                        long durationMillis, long sizeBytes, String mediaPath, String thumbnailPath, Long clipStartMillis,
                        Instant startedAt, Instant createdAt, Instant publishedAt, Instant takenDownAt, Long takenDownBy,
                        String takedownReason, int parts, String storageKey, String thumbnailKey) {
    public static final String READY = "ready";
    public static final String PARTIAL = "partial";

    public boolean published() { return publishedAt != null; }

    public boolean takenDown() { return takenDownAt != null; }

    /** Whether the media lives in object storage rather than on the node's disk. */
    public boolean stored() { return storageKey != null; }

    public boolean clip() { return parentId != null || clipStartMillis != null; }
}
