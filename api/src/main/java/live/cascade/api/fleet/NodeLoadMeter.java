package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeLoad;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;
import live.cascade.sfu.engine.MediaEngine;

import java.lang.management.ManagementFactory;

/**
 * Measures this node's {@link NodeLoad} once per heartbeat: viewers and sessions from the broadcasts, egress from the
 * media workers' sent-bytes counter (the difference since the last reading), CPU from the JVM's view of the process.
 * Called from the heartbeat thread only.
 */
public final class NodeLoadMeter {
    private final BroadcastService broadcasts;
    private final MediaEngine engine;
    private final int maxSessions;
    private long lastBytes = -1;
    private long lastNanos;

    public NodeLoadMeter(BroadcastService broadcasts, MediaEngine engine, int maxSessions) {
        this.broadcasts = broadcasts;
        this.engine = engine;
        this.maxSessions = maxSessions;
    }

    public NodeLoad measure() {
        int viewers = 0;
        for (BroadcastState s : broadcasts.states()) viewers += s.viewers();
        long bytes = engine.counters().getOrDefault("TX_BYTES", 0L);
        long now = System.nanoTime();
        double mbps = 0;
        if (lastBytes >= 0 && now > lastNanos) mbps = (bytes - lastBytes) * 8.0 / ((now - lastNanos) / 1e9) / 1e6;
        lastBytes = bytes;
        lastNanos = now;
        return new NodeLoad(viewers, broadcasts.sessionCount(), maxSessions, Math.max(0, mbps), cpu());
    }

    private static double cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? 0 : load;
        }
        return 0;
    }
}
