package live.cascade.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.testkit.RtcpPackets;
import live.cascade.sfu.testkit.RtpPacketBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpSessionTest {
    private static final int TAIL = 32;

    /** Two ends of one association: what one sends with its local key the other receives with its remote key. */
    private static SrtpSession[] pair(SrtpProfile profile) {
        Random random = new Random(7);
        byte[] k1 = new byte[profile.keyLength()];
        byte[] s1 = new byte[profile.saltLength()];
        byte[] k2 = new byte[profile.keyLength()];
        byte[] s2 = new byte[profile.saltLength()];
        random.nextBytes(k1);
        random.nextBytes(s1);
        random.nextBytes(k2);
        random.nextBytes(s2);
        return new SrtpSession[] {new SrtpSession(profile, k1, s1, k2, s2), new SrtpSession(profile, k2, s2, k1, s1)};
    }

    private static byte[] rtp(int ssrc, int seq, int payload) {
        byte[] body = new byte[payload];
        for (int i = 0; i < payload; i++) body[i] = (byte) i;
        byte[] plain = RtpPacketBuilder.rtp().ssrc(ssrc).seq(seq).ts(seq * 960L).pt(96).payload(body).build();
        return Arrays.copyOf(plain, plain.length + TAIL);
    }

    private static byte[] rtcp(int ssrc) {
        byte[] plain = RtcpPackets.receiverReport(ssrc, 42, 0, 0, 0, 0);
        return Arrays.copyOf(plain, plain.length + TAIL);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpAndRtcpRoundTripInPlaceWithTheProfilesOverhead(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile);
        byte[] packet = rtp(0xCAFE, 100, 200);
        byte[] plain = Arrays.copyOf(packet, 212);
        PacketBuffer buf = new PacketBuffer().wrap(packet, 0, 212);

        assertThat(ends[0].protectRtp(buf)).isEqualTo(SrtpStatus.OK);
        assertThat(buf.getBuffer()).as("tag written into the tail room, no copy").isSameAs(packet);
        assertThat(buf.getLength()).isEqualTo(212 + SrtpPolicies.rtpOverhead(profile));
        assertThat(Arrays.copyOfRange(packet, 12, 212)).isNotEqualTo(Arrays.copyOfRange(plain, 12, 212));

        assertThat(ends[1].unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
        assertThat(Arrays.copyOf(packet, buf.getLength())).isEqualTo(plain);

        byte[] control = rtcp(0xCAFE);
        byte[] controlPlain = Arrays.copyOf(control, 32);
        PacketBuffer cbuf = new PacketBuffer().wrap(control, 0, 32);
        assertThat(ends[0].protectRtcp(cbuf)).isEqualTo(SrtpStatus.OK);
        assertThat(cbuf.getLength()).isEqualTo(32 + SrtpPolicies.rtcpOverhead(profile));
        assertThat(ends[1].unprotectRtcp(cbuf)).isEqualTo(SrtpStatus.OK);
        assertThat(Arrays.copyOf(control, cbuf.getLength())).isEqualTo(controlPlain);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsFailAuthenticationAndReplaysAreRefused(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile);
        byte[] first = rtp(1, 1, 40);
        PacketBuffer buf = new PacketBuffer().wrap(first, 0, 52);
        ends[0].protectRtp(buf);
        int len = buf.getLength();
        byte[] copy = Arrays.copyOf(first, first.length);

        assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(first, 0, len))).isEqualTo(SrtpStatus.OK);
        assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(copy.clone(), 0, len))).isEqualTo(SrtpStatus.REPLAYED);

        byte[] second = rtp(1, 2, 40);
        PacketBuffer buf2 = new PacketBuffer().wrap(second, 0, 52);
        ends[0].protectRtp(buf2);
        second[30] ^= 1;
        assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(second, 0, buf2.getLength())))
                .isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @Test
    void forgedPacketsFromUnknownSsrcsCreateNoState() {
        SrtpSession[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] forged = rtp(random.nextInt(), i, 60);
            random.nextBytes(Arrays.copyOfRange(forged, 12, 72));
            assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(forged, 0, 82))).isEqualTo(SrtpStatus.AUTH_FAILED);
        }
        assertThat(ends[1].remoteRtpStreams()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void authenticSsrcsBeyondTheLimitAreRefused(SrtpProfile profile) {
        SrtpSession[] ends = pair(profile);
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_REMOTE_SSRCS + 1; ssrc++) {
            byte[] p = rtp(ssrc, 1, 20);
            PacketBuffer buf = new PacketBuffer().wrap(p, 0, 32);
            ends[0].protectRtp(buf);
            SrtpStatus expected = ssrc <= SrtpSession.MAX_REMOTE_SSRCS ? SrtpStatus.OK : SrtpStatus.TOO_MANY_SSRCS;
            assertThat(ends[1].unprotectRtp(buf)).as("ssrc %d", ssrc).isEqualTo(expected);
        }
        assertThat(ends[1].remoteRtpStreams()).isEqualTo(SrtpSession.MAX_REMOTE_SSRCS);
    }

    @Test
    void packetsTooShortForTheirHeaderAreInvalid() {
        SrtpSession[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] tiny = new byte[64];
        tiny[0] = (byte) 0x80;
        assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(tiny, 0, 11))).isEqualTo(SrtpStatus.INVALID);
        assertThat(ends[1].unprotectRtp(new PacketBuffer().wrap(tiny, 0, 14))).isEqualTo(SrtpStatus.INVALID);
        assertThat(ends[1].unprotectRtcp(new PacketBuffer().wrap(tiny, 0, 7))).isEqualTo(SrtpStatus.INVALID);
        assertThat(ends[0].protectRtp(new PacketBuffer().wrap(tiny, 0, 11))).isEqualTo(SrtpStatus.INVALID);
    }
}
