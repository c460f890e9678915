package live.cascade.sfu.receive;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import org.junit.jupiter.api.Test;

class PacketHistoryTest {
    private final PacketHistory history = new PacketHistory(16, 200);
    private final SequenceUnwrapper unwrap = new SequenceUnwrapper();

    private byte[] store(int seq) {
        byte[] p = rtp().seq(seq).ts(seq * 10L).payload(seq & 0xFF, 1, 2).build();
        assertThat(history.store(unwrap.unwrap(seq), p, 0, p.length, 0)).isTrue();
        return p;
    }

    private byte[] lookup(int seq) {
        int slot = history.slotOf(history.extend(seq));
        if (slot < 0) return null;
        return Arrays.copyOfRange(history.data(), history.offsetOf(slot), history.offsetOf(slot) + history.lengthOf(slot));
    }

    @Test
    void findsPacketsBySixteenBitSequenceAcrossTheWrap() {
        byte[][] stored = new byte[10][];
        for (int i = 0; i < 10; i++) stored[i] = store((65_530 + i) & 0xFFFF);
        for (int i = 0; i < 10; i++) assertThat(lookup((65_530 + i) & 0xFFFF)).isEqualTo(stored[i]);
        assertThat(lookup(4)).as("never stored").isNull();
        assertThat(history.highest()).isEqualTo(65_539);
    }

    @Test
    void evictsAPacketWhenOneCapacityNewerTakesItsSlot() {
        for (int seq = 0; seq < 16; seq++) store(seq);
        assertThat(lookup(0)).isNotNull();
        store(16);
        assertThat(lookup(0)).isNull();
        assertThat(lookup(1)).isNotNull();
        assertThat(history.isBeforeWindow(unwrap.unwrap(0))).isTrue();
        assertThat(history.isBeforeWindow(unwrap.unwrap(1))).isFalse();
    }

    @Test
    void keepsLateArrivalsInsideTheWindowAndRefusesOlderOrOversizedOnes() {
        store(100);
        store(102);
        store(101);
        assertThat(lookup(101)).isNotNull();
        for (int seq = 103; seq < 130; seq++) store(seq);
        byte[] old = rtp().seq(105).build();
        assertThat(history.store(105, old, 0, old.length, 0)).as("older than the window").isFalse();
        byte[] big = rtp().seq(131).payload(new byte[300]).build();
        assertThat(history.store(131, big, 0, big.length, 0)).isFalse();
        assertThat(history.contains(131)).isFalse();
    }

    @Test
    void resetForgetsEverything() {
        store(1);
        history.reset();
        assertThat(history.isEmpty()).isTrue();
        assertThat(history.contains(1)).isFalse();
    }
}
