package live.cascade.bench.media;

import static live.cascade.bench.media.BenchBed.pause;
import static live.cascade.bench.media.BenchBed.report;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NetNamespace;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.FfmpegPublisher;
import live.cascade.api.media.MediaNode;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Viewer;

/**
 * What an ICE-TCP viewer costs the node next to a UDP viewer (issue 22): FFmpeg publishes 720p at 2.5 Mbit/s; Chromium
 * in a network namespace plays it with {@code --viewers} pages, first with UDP open (they pick UDP), then with the
 * namespace's UDP dropped (they pick ICE-TCP); the media worker thread's CPU time is read over {@code --seconds} with
 * the publisher alone, then with each kind of viewer. Per viewer = (with viewers - publisher alone) / viewers.
 *
 * <pre>bench/run IceTcpCostBenchmark --viewers=3 --seconds=10</pre>
 */
public final class IceTcpCostBenchmark {
    private IceTcpCostBenchmark() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int viewers = args.integer("viewers", 3);
        int seconds = args.integer("seconds", 10);
        NetNamespace ns = NetNamespace.create("ib");
        ns.allowUdp();
        MediaNode media = MediaNode.of(new TestNode("--http-host", "0.0.0.0", "--media-host", ns.hostAddress()));
        Chromium chromium = Chromium.launch(ns.wrapper(System.getProperty("cascade.chromium", "/usr/bin/chromium")));
        try {
            Channel channel = media.createChannel("tcp-cost");
            String whep = channel.whepUrl().replace("127.0.0.1", ns.hostAddress());
            try (FfmpegPublisher ffmpeg = FfmpegPublisher.ladderSource(channel.whipUrl(), channel.streamKey(), 1280, 720,
                    4 * seconds + 60)) {
                // The publisher alone, once it is live (a viewer that plays proves it), then gone.
                round(chromium, whep, 1, "warm-up", 2);
                double alone = workerCpu(seconds);
                double udp = round(chromium, whep, viewers, "udp", seconds);
                ns.dropAllUdp();
                double tcp = round(chromium, whep, viewers, "tcp", seconds);
                ns.allowUdp();
                report("ice-tcp cost: worker CPU, publisher alone %.1f %%, with %d UDP viewers %.1f %%, with %d ICE-TCP viewers %.1f %%; "
                                + "per viewer UDP %.2f %%, ICE-TCP %.2f %% of a core (720p 2.5 Mbit/s, %d s windows; %s)",
                        alone, viewers, udp, viewers, tcp, (udp - alone) / viewers, (tcp - alone) / viewers, seconds, LoadAverage.now());
            }
        } finally {
            chromium.close();
            media.close();
            ns.close();
        }
    }

    /** Opens the viewers, waits for each to play over {@code path}, returns the worker's CPU % over the window. */
    private static double round(Chromium chromium, String whep, int count, String path, int seconds) {
        List<Viewer> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Viewer v = Viewer.open(chromium);
                open.add(v);
                v.play(whep, false);
            }
            for (Viewer v : open) {
                var s = Eventually.await(path + " viewer decodes 30 frames", v::stats, x -> Viewer.framesDecoded(x) >= 30, v::diagnostics);
                String local = s.at("/pc/selectedPair/localProtocol").asText();
                if (!path.equals("warm-up") && !local.equals(path)) throw new AssertionError("a viewer took " + local + ", not " + path);
            }
            return workerCpu(seconds);
        } finally {
            for (Viewer v : open) {
                v.stop();
                v.close();
            }
        }
    }

    /** CPU time of the media worker threads over {@code seconds}, as a percentage of one core. */
    private static double workerCpu(int seconds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("media-worker-")).map(Thread::threadId).toList();
        long before = ids.stream().mapToLong(mx::getThreadCpuTime).sum();
        long t0 = System.nanoTime();
        pause(seconds * 1000L);
        long after = ids.stream().mapToLong(mx::getThreadCpuTime).sum();
        return 100.0 * (after - before) / (System.nanoTime() - t0);
    }
}
