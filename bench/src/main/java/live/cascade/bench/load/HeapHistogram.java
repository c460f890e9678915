package live.cascade.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a node's heap retains, by class: {@code jcmd PID GC.class_histogram}, which runs a full collection first, so
 * unlike the heap-in-use gauge it holds no garbage. Two of them at different viewer counts give the bytes each viewer
 * keeps alive and which classes they are in.
 */
record HeapHistogram(long totalBytes, Map<String, Long> bytesByClass) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");

    /** Takes the histogram of the JVM with {@code pid} (its full GC included: a pause of the node). */
    static HeapHistogram of(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + out);
            return parse(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted taking a heap histogram", e);
        }
    }

    static HeapHistogram parse(String jcmdOutput) {
        Map<String, Long> bytes = new HashMap<>();
        long total = 0;
        for (String line : jcmdOutput.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.find()) total = Long.parseLong(t.group(1));
        }
        if (total == 0) throw new IllegalStateException("no histogram in jcmd's output: " + jcmdOutput.lines().limit(3).toList());
        return new HeapHistogram(total, Map.copyOf(bytes));
    }

    /**
     * Bytes per viewer from {@code this} ({@code fromViewers}) to {@code later} ({@code toViewers}): the total and the
     * {@code top} classes that grew most, e.g. "retained 212.4 KiB per viewer: 96.1 KiB [B, 20.3 KiB ...".
     */
    String perViewer(HeapHistogram later, int fromViewers, int toViewers, int top) {
        int dv = toViewers - fromViewers;
        if (dv <= 0) return "retained per viewer: no more viewers at the last step than at the first";
        List<Map.Entry<String, Long>> grown = later.bytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - bytesByClass.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top).toList();
        return String.format(Locale.ROOT, "retained per viewer (%d → %d viewers, after a full GC each): %.1f KiB; by class: %s",
                fromViewers, toViewers, (later.totalBytes - totalBytes) / 1024.0 / dv,
                grown.stream().map(e -> String.format(Locale.ROOT, "%.1f KiB %s", e.getValue() / 1024.0 / dv, e.getKey()))
                        .collect(Collectors.joining(", ")));
    }
}
