package live.cascade.bench.media;

import java.lang.management.ManagementFactory;
import java.util.Map;
import live.cascade.api.media.HlsHttp;
import live.cascade.api.media.MediaNode;

/**
 * What a node's HLS taps cost over one window: the tap threads' and the whole process's CPU in cores, and how many
 * packets, queue drops and segments the taps counted meanwhile. Measured from this process (the node runs in it).
 */
record TapCpuWindow(double tapCores, double processCores, double seconds, long packets, long queueDrops, long segments,
                    LoadAverage loadAtStart) {

    static TapCpuWindow measure(MediaNode node, int seconds) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> m0 = node.node.server.media().taps().metrics().snapshot();
        LoadAverage load = LoadAverage.now();
        double tap0 = HlsHttp.cpuSeconds("hls-tap");
        long proc0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        BenchBed.pause(seconds * 1000L);
        double tap1 = HlsHttp.cpuSeconds("hls-tap");
        long proc1 = os.getProcessCpuTime();
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> m1 = node.node.server.media().taps().metrics().snapshot();
        return new TapCpuWindow((tap1 - tap0) / wall, (proc1 - proc0) / 1e9 / wall, wall,
                m1.get("packets") - m0.get("packets"), m1.get("queue_dropped_packets") - m0.get("queue_dropped_packets"),
                m1.get("segments") - m0.get("segments"), load);
    }
}
