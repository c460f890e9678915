package live.cascade.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code /proc} says of one process at one moment: CPU time (user + system, all threads) and resident memory;
 * and the kernel's UDP buffer errors, machine-wide ({@code /proc/net/snmp}), which count datagrams a full socket
 * buffer dropped (the node's and the tool's alike: both are on this machine).
 */
record ProcessSample(long nanos, double cpuSeconds, long rssBytes, long udpRcvbufErrors, long udpSndbufErrors,
                     double[] workerCpuSeconds) {
    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessSample of(long pid) {
        long now = System.nanoTime();
        double cpu = 0;
        long rss = 0;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (in parentheses, which may contain spaces): utime is field 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or /proc unreadable: zeros say so in the figures
        }
        long[] udp = udpErrors();
        return new ProcessSample(now, cpu, rss, udp[0], udp[1], workerCpu(pid));
    }

    /**
     * CPU seconds of each {@code media-worker-N} thread, by N (empty for a process without them): whether one
     * channel's viewers spread over the workers shows here.
     */
    private static double[] workerCpu(long pid) {
        java.util.TreeMap<Integer, Double> byIndex = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("media-worker-")) continue;
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // Netty names them media-worker-N-P-T; the kernel keeps 15 characters of it.
                    String rest = comm.substring("media-worker-".length());
                    int dash = rest.indexOf('-');
                    byIndex.merge(Integer.parseInt(dash < 0 ? rest : rest.substring(0, dash)),
                            (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended, or a name that is not ours
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or not Linux
        }
        double[] out = new double[byIndex.isEmpty() ? 0 : byIndex.lastKey() + 1];
        byIndex.forEach((i, s) -> out[i] = s);
        return out;
    }

    /** Each media worker's cores between {@code earlier} and this sample, e.g. {@code "0.21/0.19"}; "-" when unknown. */
    String workerCoresSince(ProcessSample earlier) {
        if (workerCpuSeconds.length == 0 || earlier.workerCpuSeconds.length != workerCpuSeconds.length) return "-";
        double seconds = (nanos - earlier.nanos) / 1e9;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < workerCpuSeconds.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(String.format(java.util.Locale.ROOT, "%.2f", (workerCpuSeconds[i] - earlier.workerCpuSeconds[i]) / seconds));
        }
        return sb.toString();
    }

    /** Cores used between {@code earlier} and this sample. */
    double coresSince(ProcessSample earlier) {
        return (cpuSeconds - earlier.cpuSeconds) / ((nanos - earlier.nanos) / 1e9);
    }

    private static long[] udpErrors() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    String[] values = lines.get(i + 1).split("\\s+");
                    return new long[] {Long.parseLong(values[names.indexOf("RcvbufErrors")]),
                            Long.parseLong(values[names.indexOf("SndbufErrors")])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or another layout: report zeros
        }
        return new long[] {0, 0};
    }
}
