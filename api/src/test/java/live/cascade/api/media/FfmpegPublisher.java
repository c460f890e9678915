package live.cascade.api.media;

import org.bytedeco.javacpp.Loader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ffmpeg} executable of Bytedeco's GPL build publishing a test pattern and a sine tone over WHIP
 * ({@code -f whip}: H.264 baseline + Opus, bearer via {@code -authorization}, {@code a=setup:passive} in its offer).
 * Bounded by {@code -t}; {@link #close} stops it anyway. Its output is kept for failure messages.
 */
public final class FfmpegPublisher implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread reader;

    private FfmpegPublisher(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.reader = Thread.ofPlatform().daemon().name("ffmpeg-stderr").start(this::drain);
    }

    static Path executable() {
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }

    /** 640x360 at 30 fps, a keyframe a second, verbose output (the media-path tests read its WHIP exchange). */
    public static FfmpegPublisher start(String whipUrl, String streamKey, int seconds) {
        return launch(whipUrl, streamKey, List.of("-loglevel", "verbose", "-stats_period", "2",
                "-re", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-bf", "0", "-g", "30",
                "-tune", "zerolatency",
                "-c:a", "libopus", "-ar", "48000", "-ac", "2"));
    }

    /**
     * The known source of the HLS tests: {@code width}x{@code height} at 30 fps, H.264 baseline with a keyframe every
     * second (the 1-2 s interval the docs ask of OBS users) at 2.5 Mbit/s, and a 440 Hz Opus tone. Chromium adapts its
     * resolution under CPU load, so it cannot be the source when resolutions are checked; FFmpeg sends exactly this.
     */
    public static FfmpegPublisher ladderSource(String whipUrl, String streamKey, int width, int height, int seconds) {
        // Stats twice a second: mediaSecondsSent() reads them.
        return launch(whipUrl, streamKey, List.of("-loglevel", "info", "-stats_period", "0.5",
                "-re", "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-preset", "ultrafast", "-bf", "0",
                "-g", "30", "-keyint_min", "30", "-tune", "zerolatency", "-b:v", "2500k", "-threads", "2",
                "-c:a", "libopus", "-ar", "48000", "-ac", "2"));
    }

    /**
     * An RTMP publish (issue 23): a 640x360 30 fps test pattern in H.264 with a keyframe a second and a 440 Hz tone in
     * AAC (44.1 kHz, as most encoders send it), {@code -f flv rtmp://…/live/KEY}. {@code bframes} 0 is what the docs
     * ask of creators; x264's default (3) is what many send anyway.
     */
    public static FfmpegPublisher rtmp(String rtmpUrl, int bframes, int seconds) {
        return pictureAndTone(seconds, List.of(
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-bf", String.valueOf(bframes),
                "-g", "30", "-keyint_min", "30", "-b:v", "1500k", "-threads", "2"), "-f", "flv", rtmpUrl);
    }

    /** libx265 ultrafast, a keyframe a second, two B-frames (as hardware HEVC encoders send by default). */
    private static final List<String> HEVC = List.of(
            "-c:v", "libx265", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-bf", "2", "-g", "30", "-keyint_min", "30",
            "-b:v", "800k", "-x265-params", "log-level=error:pools=2:frame-threads=1:scenecut=0:open-gop=0");

    /**
     * An enhanced-RTMP HEVC publish (issue 23): the same 640x360 30 fps picture encoded by libx265 ({@link #HEVC}) and the
     * 440 Hz tone in AAC; FFmpeg 8's FLV muxer writes HEVC as enhanced RTMP's {@code hvc1} FourCC.
     */
    public static FfmpegPublisher rtmpHevc(String rtmpUrl, int seconds) {
        return pictureAndTone(seconds, HEVC, "-f", "flv", rtmpUrl);
    }

    /**
     * An enhanced-RTMP AV1 publish (issue 23): the same picture encoded by the bundled SVT-AV1 (its fastest preset, a
     * keyframe a second) and the tone in AAC; FFmpeg 8's FLV muxer writes AV1 as enhanced RTMP's {@code av01} FourCC with
     * an AV1CodecConfigurationRecord.
     */
    public static FfmpegPublisher rtmpAv1(String rtmpUrl, int seconds) {
        return pictureAndTone(seconds, List.of("-c:v", "libsvtav1", "-pix_fmt", "yuv420p", "-preset", "12", "-g", "30",
                "-crf", "40", "-svtav1-params", "lp=2"), "-f", "flv", rtmpUrl);
    }

    /** An SRT publish of HEVC (issue 23): {@link #HEVC} and the tone in AAC, in MPEG-TS, as an SRT caller. */
    public static FfmpegPublisher srtHevc(String srtUrl, int seconds) {
        return pictureAndTone(seconds, HEVC, "-f", "mpegts", srtUrl);
    }

    /**
     * An SRT publish (issue 23): the same picture and tone as {@link #rtmp} muxed into MPEG-TS and sent as an SRT caller
     * ({@code srt://127.0.0.1:PORT?streamid=KEY}; the bundled FFmpeg has libsrt built in).
     */
    public static FfmpegPublisher srt(String srtUrl, int seconds) {
        return pictureAndTone(seconds, List.of(
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-bf", "0",
                "-g", "30", "-keyint_min", "30", "-b:v", "1500k", "-threads", "2"), "-f", "mpegts", srtUrl);
    }

    /**
     * The RTMP and SRT publishes' common part: the bundled FFmpeg sending the 640x360 30 fps test picture, encoded with
     * {@code video}, and the 440 Hz tone in AAC at 44.1 kHz, in real time for {@code seconds}, to {@code output}.
     */
    private static FfmpegPublisher pictureAndTone(int seconds, List<String> video, String... output) {
        List<String> command = new ArrayList<>(List.of(executable().toString(), "-hide_banner", "-nostdin", "-loglevel", "info",
                "-stats_period", "0.5",
                "-re", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds)));
        command.addAll(video);
        command.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2"));
        command.addAll(List.of(output));
        return start(command);
    }

    private static FfmpegPublisher start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", Path.of(command.getFirst()).getParent().toString());
        try {
            return new FfmpegPublisher(builder.start(), List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    private static FfmpegPublisher launch(String whipUrl, String streamKey, List<String> sourceAndEncoding) {
        Path ffmpeg = executable();
        List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin"));
        command.addAll(sourceAndEncoding);
        command.addAll(List.of("-f", "whip", "-authorization", streamKey, whipUrl));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The executable finds its own libav* through RUNPATH $ORIGIN, but libavutil's libva does not: point at them.
        builder.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        try {
            return new FfmpegPublisher(builder.start(), List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + ffmpeg, e);
        }
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (stderr) {
                    stderr.addLast(line);
                    if (stderr.size() > 150) stderr.removeFirst();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private static final Pattern STATS_TIME = Pattern.compile("\\btime=(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");

    /**
     * How much media FFmpeg has sent so far, by its own latest progress line ({@code time=}, every
     * {@code -stats_period}): on a machine too busy for its encoder to keep real time this falls behind the wall
     * clock, so a test comparing a recording with "what the publisher sent" asks this rather than a stopwatch.
     * NaN before the first progress line.
     */
    public double mediaSecondsSent() {
        synchronized (stderr) {
            for (var it = stderr.descendingIterator(); it.hasNext(); ) {
                Matcher m = STATS_TIME.matcher(it.next());
                String last = null;
                while (m.find()) last = m.group(0);
                if (last != null) {
                    Matcher t = STATS_TIME.matcher(last);
                    if (t.find()) return Integer.parseInt(t.group(1)) * 3600 + Integer.parseInt(t.group(2)) * 60 + Double.parseDouble(t.group(3));
                }
            }
        }
        return Double.NaN;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String diagnostics() {
        List<String> lines;
        synchronized (stderr) {
            lines = new ArrayList<>(stderr);
        }
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "ffmpeg (" + state + "): " + String.join(" ", command) + "\nffmpeg output (last lines):\n  "
                + String.join("\n  ", lines);
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: ffmpeg finishes the muxer, which DELETEs its WHIP session
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
