package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.http.Json;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ffprobe} of Bytedeco's FFmpeg build, run on a file: streams (with frames counted by decoding) and format,
 * as JSON. An independent check of what the server wrote: it decodes, and says codec, size, frame rate and duration.
 */
public final class Ffprobe {
    private Ffprobe() {}

    static Path executable() {
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
    }

    /** {@code ffprobe -count_frames -show_streams -show_format -of json file}. */
    public static JsonNode probe(Path file) {
        return run(file, "-count_frames").json();
    }

    /** What ffprobe printed, and what it complained about at {@code -v error} (empty for a clean file). */
    public record Report(JsonNode json, String errors) {
    }

    /**
     * {@code ffprobe -count_frames -count_packets -show_streams -show_format -of json file}, keeping its error output:
     * every packet read and decoded, so {@code nb_read_packets} and {@code nb_read_frames} can be compared.
     */
    public static Report check(Path file) {
        return run(file, "-count_frames", "-count_packets");
    }

    private static Report run(Path file, String... counting) {
        Path exe = executable();
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-v", "error"));
        cmd.addAll(List.of(counting));
        cmd.addAll(List.of("-show_streams", "-show_format", "-of", "json", file.toString()));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(false);
        b.environment().put("LD_LIBRARY_PATH", exe.getParent().toString());
        try {
            Process p = b.start();
            // stderr on its own thread: ffprobe blocks once a pipe nobody reads is full.
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ffprobe took over a minute on " + file);
            }
            if (p.exitValue() != 0) throw new AssertionError("ffprobe failed on " + file + ": " + err.join());
            return new Report(Json.MAPPER.readTree(out), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static JsonNode stream(JsonNode probe, String type) {
        for (JsonNode s : probe.at("/streams")) if (s.at("/codec_type").asText().equals(type)) return s;
        return null;
    }

    /** A stream's average frame rate ("30/1" → 30.0). */
    public static double frameRate(JsonNode stream) {
        String[] r = stream.at("/avg_frame_rate").asText("0/1").split("/");
        double den = Double.parseDouble(r[1]);
        return den == 0 ? 0 : Double.parseDouble(r[0]) / den;
    }
}
