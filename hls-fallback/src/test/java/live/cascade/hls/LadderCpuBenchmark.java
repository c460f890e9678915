package live.cascade.hls;

import live.cascade.hls.ladder.Rung;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * CPU cost of a tap per second of media, measured as the process's CPU time while the pipeline runs (x264 runs two
 * slice threads from 720p up, so the pipeline thread's own CPU time would miss half of a 720p rung), so it holds on a
 * busy machine too; the process does nothing else meanwhile but the JVM's own housekeeping. Not part of the
 * normal test run (a main, not a test): run it with the module's test classpath, e.g.
 * {@code java -cp <hls-fallback test classpath> live.cascade.hls.LadderCpuBenchmark [seconds]}.
 */
public final class LadderCpuBenchmark {
    private LadderCpuBenchmark() {}

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Path dir = Files.createTempDirectory("ladder-cpu");
        System.out.printf("MEASURE load before: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 1280, 720, 30, 30, seconds);
        List<SyntheticSource.Coded> audio = SyntheticSource.opus(seconds);
        measure("recording only (no HLS)", video, audio, HlsSettings.defaults(dir.resolve("a")).withEnabled(false, true), seconds);
        measure("HLS source pass-through only + recording", video, audio,
                HlsSettings.defaults(dir.resolve("b")).withLadder(Rung.parseLadder("source")), seconds);
        measure("default ladder (source + 480p + 360p) + recording", video, audio, HlsSettings.defaults(dir.resolve("c")), seconds);
        measure("default ladder, source encoded (--hls-source encode) + recording", video, audio,
                HlsSettings.defaults(dir.resolve("d")).withSourceVideo(live.cascade.hls.ladder.SourceVideo.ENCODE), seconds);
        // A browser publisher's 640x360 (issue 16's benchmark): the default ladder is the source alone.
        List<SyntheticSource.Coded> small = SyntheticSource.video("libx264", 640, 360, 30, 30, seconds);
        measure("640x360, default ladder (source copied) + recording", small, audio, HlsSettings.defaults(dir.resolve("e")), seconds);
        measure("640x360, default ladder, source encoded (--hls-source encode) + recording", small, audio,
                HlsSettings.defaults(dir.resolve("f")).withSourceVideo(live.cascade.hls.ladder.SourceVideo.ENCODE), seconds);
        System.out.printf("MEASURE load after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        MediaTaps.deleteTree(dir);
    }

    private static void measure(String what, List<SyntheticSource.Coded> video, List<SyntheticSource.Coded> audio, HlsSettings settings, double seconds) {
        com.sun.management.OperatingSystemMXBean mx = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        SimulatedPublisher pub = new SimulatedPublisher("H264", video, audio, System.nanoTime(), 0, false, false);
        LiveOutput out = new LiveOutput(1, "bench", settings.hlsRoot().resolve("bench/x"), 2);
        long wall = System.nanoTime();
        long cpu = mx.getProcessCpuTime();
        TapPipeline p = new TapPipeline(1, "bench", pub.tracks, settings, out.directory(), out, () -> {}, new TapMetrics(),
                new RecordingHealth(), Clock.systemUTC());
        try {
            pub.feed(p);
            p.finish();
        } finally {
            p.close();
        }
        double cores = (mx.getProcessCpuTime() - cpu) / 1e9 / seconds;
        System.out.printf("MEASURE tap CPU, %s: %.3f cores per 30 fps stream (%.1f s wall for %.0f s of media)%n", what, cores,
                (System.nanoTime() - wall) / 1e9, seconds);
    }
}
