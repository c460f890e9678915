package live.cascade.sfu.spread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The worker-to-worker handoff: order, a full ring drops and counts instead of blocking, and two real threads. */
class PacketRingTest {

    private static byte[] packet(int n, int len) {
        byte[] p = new byte[len];
        p[0] = (byte) (n >>> 24);
        p[1] = (byte) (n >>> 16);
        p[2] = (byte) (n >>> 8);
        p[3] = (byte) n;
        for (int i = 4; i < len; i++) p[i] = (byte) (n + i);
        return p;
    }

    private static int number(byte[] buf, int off) {
        return (buf[off] & 0xFF) << 24 | (buf[off + 1] & 0xFF) << 16 | (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
    }

    @Test
    void packetsComeOutInOrderWithTheirTagsLengthsAndBytes() {
        PacketRing ring = new PacketRing(8, 64);
        for (int n = 0; n < 5; n++) assertThat(ring.offer(n % 2, packet(n, 20 + n), 0, 20 + n)).isTrue();
        List<String> seen = new ArrayList<>();
        int drained = ring.drain((tag, buf, off, len) -> {
            int n = number(buf, off);
            assertThat(buf[off + len - 1]).isEqualTo((byte) (n + len - 1));
            seen.add(n + ":" + tag + ":" + len);
        }, 100);
        assertThat(drained).isEqualTo(5);
        assertThat(seen).containsExactly("0:0:20", "1:1:21", "2:0:22", "3:1:23", "4:0:24");
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void aPacketCopiedInIsNotChangedByTheProducerReusingItsBuffer() {
        PacketRing ring = new PacketRing(4, 32);
        byte[] buf = packet(7, 16);
        ring.offer(0, buf, 0, 16);
        buf[0] = 99;
        int[] got = new int[1];
        ring.drain((tag, b, off, len) -> got[0] = number(b, off), 10);
        assertThat(got[0]).isEqualTo(7);
    }

    @Test
    void aFullRingDropsTheNewPacketCountsItAndDoesNotBlock() {
        PacketRing ring = new PacketRing(4, 32);
        for (int n = 0; n < 4; n++) assertThat(ring.offer(0, packet(n, 16), 0, 16)).isTrue();
        long start = System.nanoTime();
        for (int n = 4; n < 10; n++) assertThat(ring.offer(0, packet(n, 16), 0, 16)).isFalse();
        assertThat(System.nanoTime() - start).as("returns at once").isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(ring.dropped()).isEqualTo(6);

        List<Integer> seen = new ArrayList<>();
        ring.drain((tag, b, off, len) -> seen.add(number(b, off)), 100);
        assertThat(seen).as("the oldest are kept, the overflow is what was dropped").containsExactly(0, 1, 2, 3);
        assertThat(ring.offer(0, packet(10, 16), 0, 16)).as("room again once drained").isTrue();
        ring.drain((tag, b, off, len) -> seen.add(number(b, off)), 100);
        assertThat(seen).endsWith(10);
    }

    @Test
    void aPacketLargerThanASlotIsDroppedAndCountedApart() {
        PacketRing ring = new PacketRing(4, 32);
        assertThat(ring.offer(0, new byte[33], 0, 33)).isFalse();
        assertThat(ring.oversize()).isEqualTo(1);
        assertThat(ring.dropped()).isZero();
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void drainTakesAtMostMaxAndLeavesTheRestInOrder() {
        PacketRing ring = new PacketRing(16, 32);
        for (int n = 0; n < 10; n++) ring.offer(0, packet(n, 8), 0, 8);
        List<Integer> seen = new ArrayList<>();
        assertThat(ring.drain((tag, b, off, len) -> seen.add(number(b, off)), 3)).isEqualTo(3);
        assertThat(ring.drain((tag, b, off, len) -> seen.add(number(b, off)), 100)).isEqualTo(7);
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aHandlerThatThrowsStillReturnsItsSlot() {
        PacketRing ring = new PacketRing(2, 32);
        ring.offer(0, packet(1, 8), 0, 8);
        ring.offer(0, packet(2, 8), 0, 8);
        assertThatThrownBy(() -> ring.drain((tag, b, off, len) -> { throw new IllegalStateException("bad"); }, 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ring.offer(0, packet(3, 8), 0, 8)).as("the slot of the packet that threw is free").isTrue();
        List<Integer> seen = new ArrayList<>();
        ring.drain((tag, b, off, len) -> seen.add(number(b, off)), 10);
        assertThat(seen).containsExactly(2, 3);
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new PacketRing(6, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A producer thread and a consumer thread, the consumer deliberately slower at times: every packet is either
     * received, whole and in order, or counted as dropped; none is seen twice or torn.
     */
    @Test
    void twoThreadsLoseNothingUncountedAndNeverReorder() throws Exception {
        PacketRing ring = new PacketRing(64, 256);
        int total = 400_000;
        AtomicBoolean done = new AtomicBoolean();
        long[] received = new long[1];
        int[] last = {-1};
        List<String> errors = new ArrayList<>();
        Thread consumer = new Thread(() -> {
            PacketRing.Handler h = (tag, buf, off, len) -> {
                int n = number(buf, off);
                if (n <= last[0]) errors.add("out of order: " + n + " after " + last[0]);
                if (len != 16 + (n % 200)) errors.add("length of " + n + ": " + len);
                if (buf[off + len - 1] != (byte) (n + len - 1)) errors.add("torn packet " + n);
                if (tag != (n & 1)) errors.add("tag of " + n);
                last[0] = n;
                received[0]++;
                if (n % 10_000 == 0) Thread.onSpinWait();
            };
            while (!done.get() || !ring.isEmpty()) {
                if (ring.drain(h, 32) == 0) Thread.onSpinWait();
            }
        }, "ring-consumer");
        consumer.start();
        byte[][] packets = new byte[200][];
        for (int i = 0; i < 200; i++) packets[i] = new byte[16 + i];
        for (int n = 0; n < total; n++) {
            byte[] p = packets[n % 200];
            byte[] content = packet(n, p.length);
            System.arraycopy(content, 0, p, 0, p.length);
            ring.offer(n & 1, p, 0, p.length);
        }
        done.set(true);
        consumer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(consumer.isAlive()).isFalse();
        assertThat(errors).isEmpty();
        assertThat(received[0] + ring.dropped()).as("received + dropped = sent").isEqualTo(total);
        assertThat(received[0]).isPositive();
    }
}
