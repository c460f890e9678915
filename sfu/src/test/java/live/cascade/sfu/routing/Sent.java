package live.cascade.sfu.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.rtcp.RtcpStatus;
import live.cascade.sfu.rtcp.RtcpWalker;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;

/** Reading back what a {@link FakeTransport} was sent. */
final class Sent {
    private Sent() {}

    static RtpHeader parse(byte[] packet) {
        RtpHeader h = new RtpHeader();
        assertThat(h.parse(packet, 0, packet.length)).isEqualTo(RtpStatus.OK);
        return h;
    }

    static List<RtpHeader> withSsrc(FakeTransport t, long ssrc) {
        List<RtpHeader> out = new ArrayList<>();
        for (byte[] p : t.rtp) {
            RtpHeader h = parse(p);
            if (h.ssrc() == ssrc) out.add(h);
        }
        return out;
    }

    static List<Integer> sequences(List<RtpHeader> packets) {
        List<Integer> out = new ArrayList<>();
        for (RtpHeader h : packets) out.add(h.sequenceNumber());
        return out;
    }

    /** Every RTCP packet (compounds split, padding excluded) of {@code type} and, when >= 0, {@code format}. */
    static List<byte[]> rtcp(FakeTransport t, int type, int format) {
        List<byte[]> out = new ArrayList<>();
        RtcpWalker w = new RtcpWalker();
        for (byte[] c : t.rtcp) {
            assertThat(w.validate(c, 0, c.length)).isEqualTo(RtcpStatus.OK);
            w.reset(c, 0, c.length);
            while (w.next()) {
                if (w.packetType() == type && (format < 0 || w.count() == format)) {
                    out.add(Arrays.copyOfRange(c, w.packetOffset(), w.packetOffset() + w.contentLength()));
                }
            }
        }
        return out;
    }

    static byte[] payload(RtpHeader h) {
        return Arrays.copyOfRange(h.buffer(), h.payloadOffset(), h.payloadOffset() + h.payloadLength());
    }

    /** The transport-wide sequence number under extension {@code id}. */
    static int transportSequence(RtpHeader h, int id) {
        int at = h.findExtension(id);
        assertThat(at).as("transport-cc extension present").isPositive();
        return BigEndian.u16(h.buffer(), at);
    }
}
