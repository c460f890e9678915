package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacketQueueTest {
    @Test
    void entriesComeOutInOrderAsCopies() {
        PacketQueue q = new PacketQueue(8, 1500);
        byte[] buf = {9, 1, 2, 3, 9};
        q.offerRtp(MediaKind.VIDEO, buf, 1, 3, 10);
        buf[1] = 7; // the queue kept its own copy
        q.offerSenderReport(MediaKind.AUDIO, 42, 43, 11);
        q.offerPublisherAttached(12);
        PacketQueue.Slot[] batch = q.newBatch(4);
        assertThat(q.drainTo(batch)).isEqualTo(3);
        assertThat(batch[0].type()).isEqualTo(PacketQueue.Type.RTP);
        assertThat(batch[0].kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(batch[0].length()).isEqualTo(3);
        assertThat(batch[0].data()[0]).isEqualTo((byte) 1);
        assertThat(batch[1].type()).isEqualTo(PacketQueue.Type.SENDER_REPORT);
        assertThat(batch[1].ntpTimestamp()).isEqualTo(42);
        assertThat(batch[1].rtpTimestamp()).isEqualTo(43);
        assertThat(batch[2].type()).isEqualTo(PacketQueue.Type.PUBLISHER_ATTACHED);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsIt() {
        PacketQueue q = new PacketQueue(4, 16);
        for (int i = 0; i < 10; i++) q.offerRtp(MediaKind.AUDIO, new byte[]{(byte) i}, 0, 1, i);
        assertThat(q.size()).isEqualTo(4);
        assertThat(q.dropped()).isEqualTo(6);
        PacketQueue.Slot[] batch = q.newBatch(8);
        assertThat(q.drainTo(batch)).isEqualTo(4);
        for (int i = 0; i < 4; i++) assertThat(batch[i].data()[0]).isEqualTo((byte) (6 + i));
    }

    @Test
    void slotsSwappedOutAreReusedWithoutLosingData() {
        PacketQueue q = new PacketQueue(2, 4);
        PacketQueue.Slot[] batch = q.newBatch(1);
        for (int round = 0; round < 100; round++) {
            q.offerRtp(MediaKind.VIDEO, new byte[]{(byte) round, 1, 2, 3, 4, 5}, 0, 6, round); // larger than the slot
            assertThat(q.drainTo(batch)).isEqualTo(1);
            assertThat(batch[0].data()[0]).isEqualTo((byte) round);
            assertThat(batch[0].length()).isEqualTo(6);
        }
    }

    @Test
    void awaitReturnsWhenAProducerOffers() throws Exception {
        PacketQueue q = new PacketQueue(4, 16);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            q.offerPublisherAttached(1);
        });
        long start = System.nanoTime();
        while (q.isEmpty()) q.await(5_000_000_000L);
        assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
        producer.join();
    }
}
