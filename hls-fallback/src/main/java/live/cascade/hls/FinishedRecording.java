package live.cascade.hls;

import live.cascade.hls.record.RecordingResult;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A broadcast's recording, closed because the broadcast ended.
 *
 * @param directory  the recording's own directory (the media file and {@code thumbnail.jpg} are in it)
 * @param thumbnail  the poster image, or null when none could be made
 */
public record FinishedRecording(long channelId, String slug, Path directory, RecordingResult result, Path thumbnail,
                                Instant startedAt, Instant endedAt) {
}
