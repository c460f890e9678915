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

/**
 * The {@code ffmpeg} executable of Bytedeco's GPL build publishing a test pattern and a sine tone over WHIP
 * ({@code -f whip}: H.264 baseline + Opus, bearer via {@code -authorization}, {@code a=setup:passive} in its offer).
 * Bounded by {@code -t}; {@link #close} stops it anyway. Its stderr is kept for failure messages.
 */
final class FfmpegPublisher implements AutoCloseable {
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

    static FfmpegPublisher start(String whipUrl, String streamKey, int seconds) {
        Path ffmpeg = executable();
        List<String> command = List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "verbose", "-stats_period", "2",
                "-re", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-bf", "0", "-g", "30",
                "-tune", "zerolatency",
                "-c:a", "libopus", "-ar", "48000", "-ac", "2",
                "-f", "whip", "-authorization", streamKey, whipUrl);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The executable finds its own libav* through RUNPATH $ORIGIN, but libavutil's libva does not: point at them.
        builder.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        try {
            return new FfmpegPublisher(builder.start(), command);
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

    boolean isAlive() {
        return process.isAlive();
    }

    String diagnostics() {
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
