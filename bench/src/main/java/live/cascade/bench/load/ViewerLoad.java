package live.cascade.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.bench.media.Args;
import live.cascade.bench.media.LoadAverage;

/**
 * The capacity load tool: N real WHEP viewers of one channel in this JVM ({@link LoadViewer}), stepped up and held,
 * against a node it starts (its own process, optionally pinned) or one at {@code --target}, fed by a real FFmpeg WHIP
 * publisher. For each step it prints what the viewers received against what the node should have sent, and what that
 * cost the node and the tool ({@link StepFigures}).
 *
 * <pre>
 * bench/run load.ViewerLoad --steps=50,100,200,400 --hold=20 --join-rate=50 --node-cpus=0 --tool-cpus=1
 * bench/run load.ViewerLoad --target=http://edge1:8080 --whep=http://edge1:8080/api/whep/mychannel --steps=500,1000
 * </pre>
 * Options: {@code --steps} (viewer counts), {@code --hold} (seconds measured per step), {@code --join-rate} (joins a
 * second), {@code --reactors} (the tool's receiving threads), {@code --media-workers}, {@code --heap} (the node's),
 * {@code --node-cpus}/{@code --tool-cpus} (taskset lists), {@code --video-kbps}, {@code --size}, {@code --node-flag}
 * (one more node flag, e.g. {@code "--node-flag=--srtp-profiles AEAD_AES_128_GCM"}), and for a remote node
 * {@code --target}, {@code --whep}, {@code --key} (publish to it) and {@code --node-pid} (when it runs on this machine);
 * {@code --node-jar} starts the node from a built jar instead (another build, for a before/after comparison), and
 * {@code --node-jvm-opts} adds options to the node's JVM (e.g. {@code "--node-jvm-opts=-XX:StartFlightRecording=filename=node.jfr"});
 * {@code --histogram=true} ends each step with the node's class histogram ({@code jcmd GC.class_histogram}, a full GC)
 * and prints what each viewer retains, by class, from the first step to the last. {@code --auth-every} (default 10)
 * is how many RTP packets per viewer share one SRTP authentication (1: every packet, as {@code ViewerLoadTest} does);
 * RTCP is always authenticated.
 */
public final class ViewerLoad {
    private ViewerLoad() {}

    /** What a run measured; {@code viewers} have left the node when it is returned. */
    record Result(List<StepFigures> steps, List<LoadViewer> viewers, int endedSessions, double viewerSessionsAfter,
                  double nodeDropsTotal, String nodeDropReasons, String nodeOutput) {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        int[] steps = Arrays.stream(a.text("steps", "50,100,200").split(",")).mapToInt(Integer::parseInt).toArray();
        List<String> nodeFlags = new ArrayList<>();
        String extra = a.text("node-flag", null);
        if (extra != null) nodeFlags.addAll(Arrays.asList(extra.trim().split("\\s+")));
        List<String> nodeJvm = new ArrayList<>();
        String jvmExtra = a.text("node-jvm-opts", null);
        if (jvmExtra != null) nodeJvm.addAll(Arrays.asList(jvmExtra.trim().split("\\s+")));
        LoadRun.Options o = new LoadRun.Options(a.text("target", null), a.text("whep", null), a.text("key", null),
                Long.parseLong(a.text("node-pid", "0")), a.integer("media-workers", 1), a.text("heap", "1g"),
                a.text("node-cpus", null), a.text("tool-cpus", null), a.integer("video-kbps", 1500),
                a.text("size", "640x360"), nodeFlags, a.text("node-jar", null), nodeJvm);
        int authEvery = a.integer("auth-every", 10);
        System.out.printf("[load] steps %s, hold %d s, %d joins/s, each viewer authenticates 1 RTP packet in %d, %s%n",
                Arrays.toString(steps), a.integer("hold", 20), a.integer("join-rate", 50), authEvery, LoadAverage.now());
        Result r = run(o, steps, a.integer("hold", 20), a.integer("join-rate", 50), a.integer("reactors", 2),
                a.bool("histogram", false), authEvery);
        System.out.println("[load] | N | connected | join p50 / p95 | delivered | loss | node cores | ms per viewer-s | us per packet | node RSS MiB | tool cores |");
        for (StepFigures f : r.steps()) System.out.println("[load] " + f.tableRow());
        memoryPerViewer(r.steps());
        System.out.printf("[load] left: %d of %d sessions ended by DELETE, %.0f still on the node; node drops over the run"
                        + " (joins and leaves included) %.0f (%s); %s%n",
                r.endedSessions(), r.viewers().size(), r.viewerSessionsAfter(), r.nodeDropsTotal(), r.nodeDropReasons(),
                LoadAverage.now());
        System.exit(0);
    }

    /** Where each run leaves the output of the node it started (overwritten by the next run). */
    static final java.nio.file.Path NODE_LOG = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "viewer-load-node.log");

    private static void saveNodeOutput(LoadRun run) {
        try {
            java.nio.file.Files.writeString(NODE_LOG, run.nodeOutput());
        } catch (java.io.IOException e) {
            System.out.println("[load] could not write the node's output to " + NODE_LOG + ": " + e.getMessage());
        }
    }

    /**
     * Memory per viewer from the first and last steps: the difference in the node's RSS, heap in use and direct
     * buffers over the difference in viewers (heap in use moves with garbage not yet collected; RSS with what the JVM
     * has touched; read them together).
     */
    static void memoryPerViewer(List<StepFigures> steps) {
        if (steps.size() < 2) return;
        StepFigures a = steps.getFirst(), b = steps.getLast();
        int dv = b.connected() - a.connected();
        if (dv <= 0) return;
        System.out.printf(java.util.Locale.ROOT, "[load] memory per viewer (%d → %d viewers): RSS %.0f KiB, heap in use %.0f KiB,"
                        + " direct buffers %.0f KiB%n", a.connected(), b.connected(), (b.nodeRssMiB() - a.nodeRssMiB()) * 1024 / dv,
                (b.heapMiB() - a.heapMiB()) * 1024 / dv, (b.directMiB() - a.directMiB()) * 1024 / dv);
    }

    /**
     * Which viewers' SRTP refused packets, and how: a viewer that never decrypted a packet has other keys than the node
     * (a broken handshake); RTP refusals on the tag mid-stream are damaged or mis-indexed packets; RTP replays are
     * packets the node sent twice or too late for the replay window; SRTCP refusals are counted apart, by kind.
     */
    static String srtpFailures(List<LoadViewer> viewers) {
        int withFailures = 0, neverDecrypted = 0;
        long tag = 0, replays = 0, rtcpTag = 0, rtcpReplays = 0;
        for (LoadViewer v : viewers) {
            if (v.authFailures == 0 && v.replayed == 0 && v.rtcpTagFailures == 0 && v.rtcpReplayed == 0) continue;
            withFailures++;
            if (v.rtpPackets == 0) neverDecrypted++;
            tag += v.authFailures;
            replays += v.replayed;
            rtcpTag += v.rtcpTagFailures;
            rtcpReplays += v.rtcpReplayed;
        }
        return String.format(java.util.Locale.ROOT, "SRTP refusals over the run: %d viewers refused packets (%d of them never"
                + " decrypted one): RTP %d on the tag, %d as replays; SRTCP %d on the tag, %d as replays", withFailures,
                neverDecrypted, tag, replays, rtcpTag, rtcpReplays);
    }

    /** The failed viewers' reasons, counted, most common first (the detail after a colon cut off). */
    static String failureReasons(List<LoadViewer> viewers) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (LoadViewer v : viewers) {
            String f = v.failure;
            if (f == null) continue;
            String reason = f.length() > 120 ? f.substring(0, 120) : f;
            counts.merge(reason, 1L, Long::sum);
        }
        return counts.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5).map(e -> e.getValue() + "× " + e.getKey()).collect(java.util.stream.Collectors.joining("; "));
    }

    /** Runs the steps and leaves; prints each step's line as it completes. */
    static Result run(LoadRun.Options o, int[] steps, int holdSeconds, double joinRate, int reactors) throws Exception {
        return run(o, steps, holdSeconds, joinRate, reactors, false, 1);
    }

    /** With {@code histogram}, each step ends with the node's class histogram (a full GC; see {@link HeapHistogram}). */
    static Result run(LoadRun.Options o, int[] steps, int holdSeconds, double joinRate, int reactors, boolean histogram,
                      int authEvery) throws Exception {
        try (LoadRun run = LoadRun.start(o);
             ViewerFleet fleet = new ViewerFleet(run.whep, run.bindTo, reactors, authEvery)) {
            List<StepFigures> figures = new ArrayList<>();
            HeapHistogram firstHeap = null;
            NodeMetrics first = NodeMetrics.scrape(run.baseUrl);
            int joinedBefore = 0;
            for (int n : steps) {
                fleet.growTo(n, joinRate);
                fleet.awaitJoined(Duration.ofSeconds(30));
                List<LoadViewer> all = fleet.viewers();
                List<Double> joins = new ArrayList<>();
                for (LoadViewer v : all.subList(joinedBefore, all.size())) {
                    if (v.joinedNanos != 0) joins.add((v.joinedNanos - v.joinStartNanos) / 1e6);
                }
                joinedBefore = all.size();
                Thread.sleep(2000); // the joins' DTLS and keyframe bursts settle before the window opens
                long self = ProcessHandle.current().pid();
                FleetTotals ta = FleetTotals.of(all);
                ProcessSample na = ProcessSample.of(run.nodePid), sa = ProcessSample.of(self);
                NodeMetrics ma = NodeMetrics.scrape(run.baseUrl);
                Thread.sleep(holdSeconds * 1000L);
                FleetTotals tb = FleetTotals.of(all);
                ProcessSample nb = ProcessSample.of(run.nodePid), sb = ProcessSample.of(self);
                NodeMetrics mb = NodeMetrics.scrape(run.baseUrl);
                StepFigures f = StepFigures.of(n, joins, ta, tb, na, nb, sa, sb, ma, mb);
                figures.add(f);
                System.out.println(f.line() + "; " + LoadAverage.now());
                System.out.println("[load] viewers by bandwidth estimate (node's /metrics): "
                        + NodeMetrics.viewerEstimates(run.baseUrl));
                String failures = failureReasons(all);
                if (!failures.isEmpty()) System.out.println("[load] failed joins by reason: " + failures);
                long throttled = WhepSession.THROTTLED.sum();
                if (throttled > 0) System.out.println("[load] joins told to wait (429, retried after Retry-After) so far: " + throttled);
                if (!run.publisherAlive()) {
                    saveNodeOutput(run);
                    throw new IllegalStateException("the FFmpeg publisher exited (its errors are above; the node's"
                            + " output is in " + NODE_LOG + ")");
                }
                if (histogram) {
                    HeapHistogram heap = HeapHistogram.of(run.nodePid);
                    System.out.printf(java.util.Locale.ROOT, "[load] node heap after a full GC at %d viewers: %.1f MiB%n",
                            f.connected(), heap.totalBytes() / 1048576.0);
                    if (firstHeap == null) firstHeap = heap;
                    else System.out.println("[load] " + firstHeap.perViewer(heap, figures.getFirst().connected(), f.connected(), 15));
                }
            }
            System.out.println("[load] " + srtpFailures(fleet.viewers()));
            saveNodeOutput(run);
            int ended = fleet.leaveAll();
            // The node ends a session on DELETE; its gauge is read until it shows none left (or 10 s have passed).
            NodeMetrics last = NodeMetrics.scrape(run.baseUrl);
            for (int i = 0; i < 40 && !(last.viewerSessions() == 0); i++) {
                Thread.sleep(250);
                last = NodeMetrics.scrape(run.baseUrl);
            }
            return new Result(figures, fleet.viewers(), ended, last.viewerSessions(), last.drops() - first.drops(),
                    last.dropsSince(first), run.nodeOutput());
        }
    }
}
