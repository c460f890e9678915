package live.cascade.api.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One short run of Bytedeco's bundled {@code ffmpeg} executable to its end (making test media, decoding a file to
 * check it): its exit code, what it wrote to stdout, and its log. Never the server's own FFmpeg path, which runs in
 * process: this is the independent tool the tests check the server with.
 */
public record FfmpegRun(int exitCode, byte[] stdout, String log) {
    /** {@code ffmpeg -hide_banner -nostdin <args>}, at most {@code timeoutSeconds}. */
    public static FfmpegRun run(int timeoutSeconds, String... args) {
        Path exe = FfmpegPublisher.executable();
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-hide_banner", "-nostdin"));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("LD_LIBRARY_PATH", exe.getParent().toString());
        try {
            Process p = b.start();
            // Both pipes drained at once: a full stderr pipe would block a process that writes a lot to stdout.
            CompletableFuture<String> log = CompletableFuture.supplyAsync(() -> readAll(p));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ffmpeg took over " + timeoutSeconds + " s: " + cmd);
            }
            return new FfmpegRun(p.exitValue(), out, log.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This run, or an assertion error with its log when it failed. */
    public FfmpegRun ok() {
        if (exitCode != 0) throw new AssertionError("ffmpeg exited with " + exitCode + ":\n" + log);
        return this;
    }
}
