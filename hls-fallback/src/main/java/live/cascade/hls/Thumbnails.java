package live.cascade.hls;

import live.cascade.hls.media.Thumbnailer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The broadcast's still picture: a keyframe decoded now and then into a JPEG, written (atomically) beside the live
 * playlists for the channel directory, and the last one kept for the recording. Decoding a keyframe is also how the
 * tap learns the source's picture size.
 */
final class Thumbnails implements AutoCloseable {
    private final HlsSettings settings;
    private final Path liveDir;
    private final LiveOutput live;
    private final FailureLog failures;
    private final Thumbnailer thumbnailer;
    private byte[] latest;
    private long lastMicros = Long.MIN_VALUE;

    /** @param videoCodecId FFmpeg's codec id of the video track; none (and no thumbnails) when it is not positive */
    Thumbnails(int videoCodecId, HlsSettings settings, Path liveDir, LiveOutput live, FailureLog failures) {
        this.settings = settings;
        this.liveDir = liveDir;
        this.live = live;
        this.failures = failures;
        Thumbnailer t = null;
        if (videoCodecId > 0) {
            try {
                t = new Thumbnailer(videoCodecId, 640);
            } catch (RuntimeException e) {
                failures.failed("thumbnail decoder setup", e);
            }
        }
        this.thumbnailer = t;
    }

    /** Decodes a keyframe for its picture and size; null when there is no decoder or the keyframe does not decode. */
    Thumbnailer.Still decode(byte[] keyframe) {
        if (thumbnailer == null) return null;
        try {
            return thumbnailer.render(keyframe).orElse(null);
        } catch (RuntimeException e) {
            failures.failed("keyframe decode", e);
            return null;
        }
    }

    /** A still decoded elsewhere (the first keyframe) that counts as this moment's thumbnail. */
    void taken(Thumbnailer.Still still, long ptsMicros) {
        write(still.jpeg());
        lastMicros = ptsMicros;
    }

    /** A keyframe of the running broadcast: a new thumbnail once the interval since the last one has passed. */
    void onKeyframe(byte[] keyframe, long ptsMicros) {
        if (lastMicros != Long.MIN_VALUE && ptsMicros - lastMicros < settings.thumbnailInterval().toNanos() / 1000) return;
        if (thumbnailer == null) return;
        lastMicros = ptsMicros;
        try {
            thumbnailer.render(keyframe).ifPresent(s -> write(s.jpeg()));
        } catch (RuntimeException e) {
            failures.failed("thumbnail", e);
        }
    }

    void write(byte[] jpeg) {
        latest = jpeg;
        if (!settings.liveEnabled()) return;
        try {
            Files.createDirectories(liveDir);
            Path tmp = liveDir.resolve(".thumbnail.jpg.tmp");
            Files.write(tmp, jpeg);
            Files.move(tmp, liveDir.resolve("thumbnail.jpg"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            live.thumbnailWritten();
        } catch (IOException e) {
            failures.failed("thumbnail write", e);
        }
    }

    /** The last thumbnail, for the recording; null if none was made. */
    byte[] latest() { return latest; }

    @Override
    public void close() {
        if (thumbnailer != null) thumbnailer.close();
    }
}
