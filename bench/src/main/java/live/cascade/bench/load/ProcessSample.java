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
record ProcessSample(long nanos, double cpuSeconds, long rssBytes, long udpRcvbufErrors, long udpSndbufErrors) {
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
        return new ProcessSample(now, cpu, rss, udp[0], udp[1]);
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
