package live.cascade.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import live.cascade.api.ApiClient;
import live.cascade.api.NodeProcess;
import live.cascade.api.TestNode;
import org.bytedeco.javacpp.Loader;

/**
 * What a load run needs besides its viewers: the node (its own process on this machine, started here, or one at
 * {@code --target}), a channel, and a real WHIP publisher (the bundled FFmpeg's {@code -f whip}, H.264 at a constant
 * bit rate and Opus). Closing stops what it started.
 */
final class LoadRun implements AutoCloseable {
    /** How the run is set up; {@code target} null means: start a node here. */
    record Options(String target, String whep, String streamKey, long nodePid, int mediaWorkers, String heap,
                   String nodeCpus, String toolCpus, int videoKbps, String size, List<String> nodeFlags, String nodeJar,
                   List<String> nodeJvmOptions) {}

    final String baseUrl;
    final URI whep;
    final long nodePid;
    final InetSocketAddress bindTo;
    /** The node this run started, or null for a --target node. */
    private final NodeProcess node;
    private final Process publisher;
    private boolean closed;

    private LoadRun(String baseUrl, URI whep, long nodePid, InetSocketAddress bindTo, NodeProcess node, Process publisher) {
        this.baseUrl = baseUrl;
        this.whep = whep;
        this.nodePid = nodePid;
        this.bindTo = bindTo;
        this.node = node;
        this.publisher = publisher;
    }

    static LoadRun start(Options o) throws IOException {
        if (o.toolCpus() != null) pin(ProcessHandle.current().pid(), o.toolCpus());
        NodeProcess node = null;
        String base;
        String key = o.streamKey();
        URI whep;
        long pid = o.nodePid();
        if (o.target() == null) {
            List<String> flags = new ArrayList<>(List.of("--hls-ladder", "off", "--max-sessions", "100000",
                    "--whep-pending-per-ip", "100000", "--whep-pending-per-channel", "100000",
                    "--media-workers", Integer.toString(o.mediaWorkers())));
            flags.addAll(o.nodeFlags());
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + o.heap(), "-Xms" + o.heap()));
            jvm.addAll(o.nodeJvmOptions());
            node = o.nodeJar() == null ? NodeProcess.start(jvm, flags.toArray(String[]::new))
                    : NodeProcess.startJar(o.nodeJar(), jvm, flags);
            pid = node.pid();
            base = node.url("");
            if (o.nodeCpus() != null) pin(pid, o.nodeCpus());
            ApiClient http = new ApiClient(base);
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            TestNode.Account owner = http.signup("load_" + suffix);
            TestNode.Response r = http.post("/api/channels", owner.token(),
                    Map.of("slug", "load-" + suffix, "title", "Viewer load", "category", "Testing"));
            if (r.status() != 201) throw new IllegalStateException("channel create failed: " + r.status() + " " + r.body());
            key = r.json().at("/streamKey").asText();
            whep = URI.create(base + "/api/whep/load-" + suffix);
        } else {
            base = o.target().replaceAll("/+$", "");
            if (o.whep() == null) throw new IllegalArgumentException("--target needs --whep=URL (the channel's WHEP endpoint)");
            whep = URI.create(o.whep());
        }
        Process ffmpeg = null;
        try {
            if (key != null) ffmpeg = publish(base + "/api/whip", key, o.videoKbps(), o.size(), o.toolCpus());
            awaitMedia(base, ffmpeg);
        } catch (IOException | RuntimeException e) {
            new LoadRun(base, whep, pid, null, node, ffmpeg).close();
            throw e;
        }
        InetAddress local = InetAddress.getByName(whep.getHost()).isLoopbackAddress()
                ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        LoadRun run = new LoadRun(base, whep, pid, new InetSocketAddress(local, 0), node, ffmpeg);
        // An interrupted run (Ctrl-C, SIGTERM) must not leave the node and FFmpeg behind.
        Runtime.getRuntime().addShutdownHook(new Thread(run::close, "load-run-cleanup"));
        return run;
    }

    /** Waits until the node receives the publisher's RTP (it is live), so joins are timed against a live channel. */
    private static void awaitMedia(String base, Process publisher) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (NodeMetrics.scrape(base).publisherRtp() > 0) return;
            if (publisher != null && !publisher.isAlive()) throw new IOException("the FFmpeg publisher exited before going live");
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IOException("the node received no RTP within 60 s of starting the publisher");
    }

    /** The node's own output, for a failure message (empty for a --target node). */
    String nodeOutput() { return node == null ? "" : node.output(); }

    boolean publisherAlive() { return publisher == null || publisher.isAlive(); }

    private static Process publish(String whipUrl, String key, int kbps, String size, String cpus) throws IOException {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> cmd = new ArrayList<>();
        if (cpus != null) cmd.addAll(List.of("taskset", "-c", cpus));
        // Constant bit rate (x264's HRD filler) so the stream is the size asked for whatever the test pattern compresses to.
        cmd.addAll(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-preset", "ultrafast",
                "-tune", "zerolatency", "-bf", "0", "-g", "60", "-keyint_min", "60", "-threads", "1",
                "-b:v", kbps + "k", "-minrate", kbps + "k", "-maxrate", kbps + "k", "-bufsize", (kbps / 2) + "k",
                "-x264-params", "nal-hrd=cbr:force-cfr=1",
                "-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-ac", "2",
                "-f", "whip", "-authorization", key, whipUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        return pb.start();
    }

    /** Pins every thread of {@code pid} (and those it starts later) to {@code cpus}, e.g. "0" or "0-1". */
    private static void pin(long pid, String cpus) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-cp", cpus, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) throw new IllegalStateException("taskset -a -cp " + cpus + " " + pid + " failed");
        } catch (IOException e) {
            throw new IllegalStateException("cannot pin " + pid + " (is util-linux's taskset installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (publisher != null) {
            publisher.destroy();
            try {
                if (!publisher.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) publisher.destroyForcibly();
            } catch (InterruptedException e) {
                publisher.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (node != null) node.close();
    }
}
