package live.cascade.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.testkit.RtpPacketBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A capacity run's viewer authenticates one packet in N and counts the rest from their headers. */
class LoadViewerSamplingTest {
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oneInTenIsAuthenticatedEveryPacketIsCountedAndAForgedSampleIsCaught(SrtpProfile profile) {
        Random random = new Random(3);
        byte[][] material = new byte[4][];
        for (int i = 0; i < 4; i++) {
            material[i] = new byte[i % 2 == 0 ? profile.keyLength() : profile.saltLength()];
            random.nextBytes(material[i]);
        }
        // The node's end: its local key is the viewer's remote key.
        SrtpSession node = new SrtpSession(profile, material[0], material[1], material[2], material[3]);
        LoadViewer viewer = new LoadViewer(0, 10);
        viewer.state = LoadViewer.State.HANDSHAKING;
        viewer.established(new DtlsKeys(profile, material[2], material[3], material[0], material[1]));

        PacketBuffer buf = new PacketBuffer();
        for (int seq = 1; seq <= 100; seq++) {
            byte[] packet = protect(node, buf, seq);
            if (seq == 50) packet[packet.length - 1] ^= 1; // forged: the 5th sample (packets 10, 20, … are checked)
            if (seq == 55) packet[packet.length - 1] ^= 1; // forged too, but not sampled
            viewer.onDatagram(packet, packet.length, seq * 1_000_000L);
        }

        assertThat(viewer.rtpPackets).as("every packet but the forged sample counted").isEqualTo(99);
        assertThat(viewer.unverified).as("nine in ten counted from the header alone").isEqualTo(90);
        assertThat(viewer.authFailures).as("the forged sample").isEqualTo(1);
        assertThat(viewer.replayed).isZero();
        node.close();
    }

    private static byte[] protect(SrtpSession node, PacketBuffer buf, int seq) {
        byte[] plain = RtpPacketBuilder.rtp().ssrc(0xBEEF).seq(seq).ts(seq * 3000L).pt(96).payload(new byte[1000]).build();
        byte[] packet = Arrays.copyOf(plain, plain.length + 32);
        buf.wrap(packet, 0, plain.length);
        assertThat(node.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
        byte[] out = Arrays.copyOf(buf.getBuffer(), buf.getLength());
        buf.release();
        return out;
    }
}
