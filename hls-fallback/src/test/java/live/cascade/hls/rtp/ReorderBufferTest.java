package live.cascade.hls.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReorderBufferTest {
    private final List<String> out = new ArrayList<>();
    private final ReorderBuffer buffer = new ReorderBuffer(64, 16, 50_000_000L, new ReorderBuffer.Output() {
        @Override
        public void onPacket(byte[] buf, int off, int len, long arrivalNanos) { out.add("p" + (buf[off] & 0xFF)); }

        @Override
        public void onLoss(int count) { out.add("lost" + count); }

        @Override
        public void onRestart() { out.add("restart"); }
    });

    private void add(int seq, long at) { buffer.add(seq & 0xFFFF, new byte[]{(byte) seq}, 0, 1, at); }

    @Test
    void releasesInSequenceOrder() {
        add(10, 0);
        add(12, 1);
        add(11, 2);
        add(13, 3);
        assertThat(out).containsExactly("p10", "p11", "p12", "p13");
    }

    @Test
    void aGapIsGivenUpAfterTheDelayAndReportedAsLoss() {
        add(1, 0);
        add(3, 1_000_000);
        add(4, 2_000_000);
        buffer.poll(40_000_000);
        assertThat(out).containsExactly("p1");
        buffer.poll(52_000_000);
        assertThat(out).containsExactly("p1", "lost1", "p3", "p4");
        add(2, 60_000_000); // too late
        assertThat(out).hasSize(4);
        assertThat(buffer.late()).isEqualTo(1);
    }

    @Test
    void duplicatesAreDropped() {
        add(5, 0);
        add(7, 0);
        add(7, 0);
        add(6, 0);
        assertThat(out).containsExactly("p5", "p6", "p7");
    }

    @Test
    void sequenceNumbersWrap() {
        add(65534, 0);
        add(0, 0);
        add(65535, 0);
        add(1, 0);
        assertThat(out).containsExactly("p254", "p255", "p0", "p1");
    }

    @Test
    void aJumpFarAwayRestartsTheStream() {
        add(100, 0);
        add(30_000, 0);
        assertThat(out).containsExactly("p100", "restart", "p" + (30_000 & 0xFF));
    }

    @Test
    void randomOrderNeverThrowsAndReleasesEachOnce() {
        java.util.Random r = new java.util.Random(7);
        ReorderBuffer b = new ReorderBuffer(64, 16, 50_000_000L, new ReorderBuffer.Output() {
            @Override
            public void onPacket(byte[] buf, int off, int len, long arrivalNanos) { out.add("p"); }

            @Override
            public void onLoss(int count) { }
        });
        for (int i = 0; i < 20_000; i++) {
            int seq = r.nextInt(65536);
            b.add(seq, new byte[r.nextInt(40) + 1], 0, 1, i * 1000L);
            if (i % 10 == 0) b.poll(i * 1000L);
        }
        assertThat(out.size()).isLessThanOrEqualTo(20_000);
    }
}
