package live.cascade.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * One held step of a load run, from samples at its start and end: what the viewers received against what the node
 * should have sent them, and what it cost the node and the tool.
 */
record StepFigures(int viewers, int connected, int failed, double joinP50Ms, double joinP95Ms, double deliveredPerSecond,
                   double expectedPerSecond, double lossPercent, double duplicatePercent, double receivedMbps,
                   double nodeCores, double nodeRssMiB, double gcPauseMs, double gcPauseMaxMs, long udpRcvbufErrors,
                   long udpSndbufErrors, double nodeDrops, double toolCores, long authFailures, long replayed, long nacksSent,
                   double heapMiB, double directMiB, String workerCores) {

    static StepFigures of(int viewers, List<Double> joinMillis, FleetTotals a, FleetTotals b, ProcessSample nodeA,
                          ProcessSample nodeB, ProcessSample toolA, ProcessSample toolB, NodeMetrics ma, NodeMetrics mb) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double publisherRate = (mb.publisherRtp() - ma.publisherRtp()) / seconds;
        long expected = b.expected() - a.expected();
        long unique = b.unique() - a.unique();
        return new StepFigures(viewers, b.connected(), b.failed(), percentile(joinMillis, 0.50), percentile(joinMillis, 0.95),
                (b.rtpPackets() - a.rtpPackets()) / seconds, publisherRate * b.connected(),
                expected == 0 ? 0 : 100.0 * Math.max(0, expected - unique) / expected,
                unique == 0 ? 0 : 100.0 * (b.duplicates() - a.duplicates()) / unique,
                (b.rtpBytes() - a.rtpBytes()) * 8 / seconds / 1e6,
                nodeB.coresSince(nodeA), nodeB.rssBytes() / 1048576.0,
                (mb.gcPauseSeconds() - ma.gcPauseSeconds()) * 1000, mb.gcPauseMaxSeconds() * 1000,
                nodeB.udpRcvbufErrors() - nodeA.udpRcvbufErrors(), nodeB.udpSndbufErrors() - nodeA.udpSndbufErrors(),
                mb.drops() - ma.drops(), toolB.coresSince(toolA), b.authFailures() - a.authFailures(),
                b.replayed() - a.replayed(),
                b.nacksSent() - a.nacksSent(), mb.heapUsedBytes() / 1048576.0, mb.directBufferBytes() / 1048576.0,
                nodeB.workerCoresSince(nodeA));
    }

    /** Node CPU per viewer per second of viewing, in milliseconds. */
    double nodeMsPerViewerSecond() { return connected == 0 ? 0 : nodeCores * 1000 / connected; }

    /** Node CPU per packet delivered to a viewer, in microseconds. */
    double nodeMicrosPerPacket() { return deliveredPerSecond == 0 ? 0 : nodeCores * 1e6 / deliveredPerSecond; }

    String line() {
        return String.format(Locale.ROOT,
                "[load] N=%d connected=%d failed=%d join p50=%.0f ms p95=%.0f ms | delivered %.0f/%.0f pkt/s (%.2f %%) "
                        + "loss=%.3f %% dup=%.3f %% rx=%.1f Mbit/s | node %.3f cores = %.2f ms/viewer-s = %.2f us/pkt, "
                        + "media workers %s cores, rss %.0f MiB, heap %.0f MiB, direct %.0f MiB, gc %.0f ms (max %.0f ms), drops %.0f, udp rcvbuf/sndbuf errors %d/%d | tool %.3f cores, "
                        + "auth failures %d, replayed %d, nacks %d",
                viewers, connected, failed, joinP50Ms, joinP95Ms, deliveredPerSecond, expectedPerSecond,
                expectedPerSecond == 0 ? 0 : 100 * deliveredPerSecond / expectedPerSecond, lossPercent, duplicatePercent,
                receivedMbps, nodeCores, nodeMsPerViewerSecond(), nodeMicrosPerPacket(), workerCores, nodeRssMiB, heapMiB, directMiB, gcPauseMs,
                gcPauseMaxMs, nodeDrops, udpRcvbufErrors, udpSndbufErrors, toolCores, authFailures, replayed, nacksSent);
    }

    /** A row of the capacity table in docs/performance.md. */
    String tableRow() {
        return String.format(Locale.ROOT, "| %d | %d | %.0f / %.0f ms | %.1f %% | %.3f %% | %.3f | %.2f | %.2f | %.0f | %.3f |",
                viewers, connected, joinP50Ms, joinP95Ms,
                expectedPerSecond == 0 ? 0 : 100 * deliveredPerSecond / expectedPerSecond, lossPercent, nodeCores,
                nodeMsPerViewerSecond(), nodeMicrosPerPacket(), nodeRssMiB, toolCores);
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }
}
