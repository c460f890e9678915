package live.cascade.sfu.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher's H.264 packetization of real (Annex B) access units, read back byte by byte. */
class OutgoingStreamTest {
    private final OutgoingStream video = new OutgoingStream("video", 0x1234, 102, 0, "1", 65534);

    @Test
    void anAnnexBAccessUnitIsSentAsSingleNalUnitsAndFuAFragmentsWithoutItsDelimiterAndTheMarkerOnItsLastPacket() {
        byte[] aud = {0x09, (byte) 0xF0};
        byte[] idr = new byte[2300];
        idr[0] = 0x65;
        for (int i = 1; i < idr.length; i++) idr[i] = (byte) (i * 31 + 1);
        ByteArrayOutputStream au = new ByteArrayOutputStream();
        au.writeBytes(new byte[] {0, 0, 0, 1});
        au.writeBytes(aud);
        au.writeBytes(new byte[] {0, 0, 0, 1});
        au.writeBytes(OutgoingStream.SPS);
        au.writeBytes(new byte[] {0, 0, 1}); // a 3-byte start code, as encoders write inside an access unit
        au.writeBytes(OutgoingStream.PPS);
        au.writeBytes(new byte[] {0, 0, 0, 1});
        au.writeBytes(idr);

        List<ReceivedRtp> sent = video.h264AccessUnit(90_000, au.toByteArray()).stream().map(p -> ReceivedRtp.parse(p, 0)).toList();

        // SPS, PPS, then the 2,300-byte IDR slice in three FU-A fragments (1,000 + 1,000 + 299 bytes after its header).
        assertThat(sent).hasSize(5);
        assertThat(sent).extracting(ReceivedRtp::timestamp).containsOnly(90_000L);
        assertThat(sent).extracting(ReceivedRtp::seq).containsExactly(65534, 65535, 0, 1, 2);
        assertThat(sent).extracting(ReceivedRtp::marker).containsExactly(false, false, false, false, true);
        assertThat(sent.get(0).payload()).isEqualTo(OutgoingStream.SPS);
        assertThat(sent.get(1).payload()).isEqualTo(OutgoingStream.PPS);
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        List<Integer> flags = new ArrayList<>();
        for (ReceivedRtp p : sent.subList(2, 5)) {
            byte[] fu = p.payload();
            assertThat(fu[0] & 0x1F).as("FU-A indicator type").isEqualTo(28);
            assertThat(fu[0] & 0xE0).as("F and NRI of the slice").isEqualTo(0x60);
            assertThat(fu[1] & 0x1F).as("FU header: the slice's type").isEqualTo(5);
            flags.add(fu[1] & 0xC0);
            if (reassembled.size() == 0) reassembled.write((fu[0] & 0xE0) | (fu[1] & 0x1F));
            reassembled.write(fu, 2, fu.length - 2);
        }
        assertThat(flags).containsExactly(0x80, 0x00, 0x40);
        assertThat(reassembled.toByteArray()).isEqualTo(idr);
        // Every packet is in the history, for NACKs.
        assertThat(video.fromHistory(1)).isNotNull();
    }

    @Test
    void nalUnitsAreSplitAtThreeAndFourByteStartCodes() {
        byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5, 6};

        List<byte[]> nals = OutgoingStream.nalUnits(stream);

        assertThat(nals).containsExactly(new byte[] {0x67, 1, 2}, new byte[] {0x68, 3}, new byte[] {0x65, 4, 5, 6});
        assertThatThrownBy(() -> OutgoingStream.nalUnits(new byte[] {0x65, 1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
