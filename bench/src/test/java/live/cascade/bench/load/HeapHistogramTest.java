package live.cascade.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The load tool's retained-heap reading. The node's histogram comes from {@code jcmd PID GC.class_histogram}; here the
 * same diagnostic command runs in this test's own JVM (its platform MBean: jcmd's attach does not reach every test
 * fork), so what is parsed is the real command's output.
 */
class HeapHistogramTest {
    private static List<byte[]> kept;

    private static HeapHistogram ownHeap() throws Exception {
        String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return HeapHistogram.parse(out);
    }

    @Test
    void twoHistogramsGiveWhatEachOfNItemsRetainsAndInWhichClass() throws Exception {
        HeapHistogram before = ownHeap();
        kept = new ArrayList<>();
        for (int i = 0; i < 500; i++) kept.add(new byte[20_000]);
        HeapHistogram after = ownHeap();

        String line = before.perViewer(after, 100, 600, 3);
        System.out.println(line);
        // 20,000 bytes a viewer (plus a 16-byte array header), about 19.5 KiB, the largest class grown: byte[] ("[B").
        assertThat(line).matches("retained per viewer \\(100 → 600 viewers, after a full GC each\\): [\\d.]+ KiB; by class: 19\\.\\d KiB \\[B, .*");
        double total = Double.parseDouble(line.replaceAll(".*GC each\\): ([\\d.]+) KiB.*", "$1"));
        assertThat(total).as("retained in all, KiB a viewer").isBetween(19.0, 25.0);
        assertThat(kept).hasSize(500);
    }
}
