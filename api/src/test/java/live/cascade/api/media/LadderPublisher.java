package live.cascade.api.media;

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

/**
 * Bundled FFmpeg publishing a known test pattern over WHIP for the HLS tests: {@code width}x{@code height} at 30 fps,
 * H.264 baseline with a keyframe every second (the 1-2 s interval the docs ask of OBS users), and a 440 Hz Opus tone.
 * Chromium adapts its resolution under CPU load, so it cannot be the source when resolutions are checked; FFmpeg
 * sends exactly this. (Pattern of {@link FfmpegPublisher}, with the size and GOP the ladder tests need.)
 */
public final class LadderPublisher implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Deque<String> output = new ArrayDeque<>();
    private final Thread reader;

    private LadderPublisher(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.reader = Thread.ofPlatform().daemon().name("ladder-publisher").start(this::drain);
    }

    public static LadderPublisher start(String whipUrl, String streamKey, int width, int height, int seconds) {
        Path ffmpeg = FfmpegPublisher.executable();
        List<String> command = List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "info", "-stats_period", "5",
                "-re", "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-preset", "ultrafast", "-bf", "0",
                "-g", "30", "-keyint_min", "30", "-tune", "zerolatency", "-b:v", "2500k", "-threads", "2",
                "-c:a", "libopus", "-ar", "48000", "-ac", "2",
                "-f", "whip", "-authorization", streamKey, whipUrl);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        try {
            return new LadderPublisher(builder.start(), command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + ffmpeg, e);
        }
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > 80) output.removeFirst();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    boolean isAlive() { return process.isAlive(); }

    long pid() { return process.pid(); }

    public String diagnostics() {
        List<String> lines;
        synchronized (output) {
            lines = new ArrayList<>(output);
        }
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "ffmpeg (" + state + "): " + String.join(" ", command) + "\n  " + String.join("\n  ", lines);
    }

    @Override
    public void close() {
        process.destroy();
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
