package live.cascade.ingest.audio;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Prints what the AAC → Opus transcode costs per channel (CPU of the calling thread over 60 s of audio). Not a test
 * (surefire does not pick up *Probe): run it with {@code mvn -o test -pl ingest -am -Dtest=TranscodeCostProbe
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TranscodeCostProbe {
    @Test
    void measure() {
        AacToOpusTest.Aac aac = AacToOpusTest.tone(60);
        var mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            try (AacToOpus t = new AacToOpus(aac.config(), 96_000)) {
                for (byte[] f : aac.frames()) t.transcode(f, 0, f.length, (d, l, x) -> { });
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("[figure] AAC->Opus of 60 s of 44.1 kHz stereo AAC 128k: %.0f ms CPU (%.2f %% of one core), wall %.0f ms%n",
                    cpu / 1e6, cpu / 1e6 / 600.0, (System.nanoTime() - wall0) / 1e6);
        }
    }
}
