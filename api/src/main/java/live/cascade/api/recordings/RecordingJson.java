package live.cascade.api.recordings;

import com.fasterxml.jackson.annotation.JsonInclude;
import live.cascade.db.Recording;

import java.time.Duration;
import java.time.Instant;

/** A recording or clip as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordingJson(long id, long channelId, String title, String status, String error, boolean clip, Long parentId,
                            Double clipStart, String container, String videoCodec, String audioCodec, Integer width,
                            Integer height, double duration, long size, boolean published, Instant publishedAt,
                            Boolean takenDown, String takedownReason, Instant startedAt, Instant createdAt,
                            Instant expiresAt, String mediaUrl, String playlistUrl, String thumbnailUrl, Integer parts,
                            java.util.List<String> partUrls) {

    /**
     * @param privileged the channel's owner or an admin: sees the error and takedown details
     */
    static RecordingJson of(Recording r, boolean privileged, Duration retentionUnpublished, Duration retentionPublished) {
        String base = "/api/recordings/" + r.id();
        Instant expires = null;
        if (!r.published() && !retentionUnpublished.isZero()) expires = r.createdAt().plus(retentionUnpublished);
        if (r.published() && !retentionPublished.isZero()) expires = r.publishedAt().plus(retentionPublished);
        return new RecordingJson(r.id(), r.channelId(), r.title(), r.status(), privileged ? r.error() : null, r.clip(), r.parentId(),
                r.clipStartMillis() == null ? null : r.clipStartMillis() / 1000.0, r.container(), r.videoCodec(), r.audioCodec(),
                r.width() > 0 ? r.width() : null, r.height() > 0 ? r.height() : null, r.durationMillis() / 1000.0, r.sizeBytes(),
                r.published(), r.publishedAt(), r.takenDown() ? Boolean.TRUE : null, privileged ? r.takedownReason() : null,
                r.startedAt(), r.createdAt(), expires, base + "/media", r.container().equals("mp4") ? base + "/playlist.m3u8" : null,
                r.thumbnailPath() == null ? null : base + "/thumbnail.jpg", r.parts() > 1 ? r.parts() : null, partUrls(base, r.parts()));
    }

    /** A recording in several parts lists each part's media URL (the first is {@code mediaUrl}); null for one part. */
    private static java.util.List<String> partUrls(String base, int parts) {
        if (parts <= 1) return null;
        java.util.List<String> urls = new java.util.ArrayList<>();
        for (int n = 1; n <= parts; n++) urls.add(base + "/media" + (n == 1 ? "" : "?part=" + n));
        return urls;
    }
}
