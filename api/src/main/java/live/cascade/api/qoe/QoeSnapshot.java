package live.cascade.api.qoe;

import java.util.Arrays;
import java.util.Map;

/**
 * A channel's QoE over a window, as the analytics API answers it: plays and their startup percentiles (overall and by
 * protocol), plays by WebRTC path, time played and stalled, the rebuffer ratio (stalled / played), the dropped-frame
 * ratio, layer switches, the watch-weighted mean bitrate, and errors by code (only those seen).
 */
public record QoeSnapshot(long beacons, Startup startup, Map<String, Startup> startupByProtocol, Map<String, Long> plays,
                          Map<String, Long> playsByPath, double watchSeconds, long rebuffers, double rebufferSeconds,
                          double rebufferRatio, double droppedFrameRatio, long layerSwitches, int bitrateKbps,
                          Map<String, Long> errors) {

    /** Startup times (ms) of the plays in the window: how many, median and 95th percentile (nearest rank); null when none. */
    public record Startup(int count, Integer p50Ms, Integer p95Ms) {
        static Startup of(int[] ms) {
            if (ms.length == 0) return new Startup(0, null, null);
            int[] sorted = ms.clone();
            Arrays.sort(sorted);
            return new Startup(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95));
        }

        private static int rank(int[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }
}
