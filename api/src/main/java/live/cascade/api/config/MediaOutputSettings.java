package live.cascade.api.config;

import live.cascade.hls.ladder.Rung;
import live.cascade.hls.ladder.SourceVideo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The settings of what a node makes of broadcasts besides WebRTC (the live HLS ladder, low-latency HLS, recordings),
 * read and checked from the same {@link ConfigValues} as the rest of {@link ConfigLoader}, so a bad value stops the
 * start with one clear line.
 */
final class MediaOutputSettings {
    private final ConfigValues values;

    MediaOutputSettings(ConfigValues values) {
        this.values = values;
    }

    MediaOutputConfig mediaOutput() {
        String ladderText = values.get(Setting.HLS_LADDER);
        List<Rung> ladder = List.of();
        if (!ladderText.equalsIgnoreCase("off")) {
            try {
                ladder = Rung.parseLadder(ladderText);
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.HLS_LADDER, "'off' or comma-separated renditions such as source,720p,480p,360p (" + e.getMessage() + ")");
            }
        }
        String encoder = values.get(Setting.HLS_ENCODER);
        if (!encoder.equals("libx264") && !encoder.equals("h264_nvenc")) throw values.invalid(Setting.HLS_ENCODER, "libx264 or h264_nvenc");
        String rec = values.get(Setting.RECORDINGS).toLowerCase(Locale.ROOT);
        if (!rec.equals("true") && !rec.equals("false")) throw values.invalid(Setting.RECORDINGS, "true or false");
        String simulcast = values.get(Setting.HLS_SIMULCAST).toLowerCase(Locale.ROOT);
        if (!simulcast.equals("copy") && !simulcast.equals("off")) throw values.invalid(Setting.HLS_SIMULCAST, "copy or off");
        SourceVideo source = switch (values.get(Setting.HLS_SOURCE).toLowerCase(Locale.ROOT)) {
            case "copy" -> SourceVideo.COPY;
            case "encode" -> SourceVideo.ENCODE;
            case "auto" -> SourceVideo.AUTO;
            default -> throw values.invalid(Setting.HLS_SOURCE, "copy, encode or auto");
        };
        return new MediaOutputConfig(ladder, encoder, rec.equals("true"), values.retention(Setting.RECORDING_RETENTION_UNPUBLISHED),
                values.retention(Setting.RECORDING_RETENTION_PUBLISHED), partTarget(), jumpThreshold(), simulcast.equals("copy"),
                source);
    }

    /** Below 100 ms, jitter and frame durations would read as jumps; above a minute, a jump is no longer caught. */
    private Duration jumpThreshold() {
        Duration d = values.duration(Setting.TIMESTAMP_JUMP_THRESHOLD, Duration.ofMillis(100));
        if (d.compareTo(Duration.ofMinutes(1)) > 0) throw values.invalid(Setting.TIMESTAMP_JUMP_THRESHOLD, "a duration from 100ms to 1m, such as 1s");
        return d;
    }

    /** The low-latency HLS part target, or zero for 'off'. */
    private Duration partTarget() {
        if (values.get(Setting.HLS_PART).equalsIgnoreCase("off")) return Duration.ZERO;
        Duration d = values.duration(Setting.HLS_PART, Duration.ZERO);
        if (d.toMillis() < 200 || d.toMillis() > 500) throw values.invalid(Setting.HLS_PART, "'off' or a part target from 200ms to 500ms, such as 333ms");
        return d;
    }
}
