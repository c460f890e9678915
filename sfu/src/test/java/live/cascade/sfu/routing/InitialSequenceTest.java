package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.audio;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/**
 * Every stream a viewer gets starts low enough in the sequence space that it cannot wrap within its first 32,768
 * packets. An SRTP receiver takes the rollover counter of a stream to be 0 at the first packet it receives (RFC 3711
 * 3.3.1), so a stream that began near 65535 and wrapped before that packet (its first ones lost at the join) would be
 * refused on every packet from then on. Found by the capacity load tool: one viewer of 300 refused all of its video.
 */
class InitialSequenceTest {
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);
    private static final int ROUTERS = 64;

    @Test
    void aViewersVideoAudioAndRtxStreamsAllStartInTheLowerHalfOfTheSequenceSpace() {
        ManualClock clock = new ManualClock();
        int[] highestFirst = new int[3];
        for (int seed = 0; seed < ROUTERS; seed++) {
            Router router = new Router("c" + seed, Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock,
                    new SplittableRandom(seed));
            MediaReceiver ingress = router.attachPublisher(new FakeTransport(), Fixtures.publisher());
            FakeTransport t = new FakeTransport();
            ViewerHandle viewer = router.addViewer(t, List.of(
                    new TrackParameters(MediaKind.AUDIO, "0", Fixtures.opus(109), 0xA1, 0, VIEWER_EXT),
                    new TrackParameters(MediaKind.VIDEO, "1", Fixtures.h264(96, 97), 0xA2, 0xA3, VIEWER_EXT)));
            for (int i = 0; i < 3; i++) {
                byte[] v = video(100 + i, 3000L * i, i == 0 ? IDR : bytes(0x41, 0x9A, i)).build();
                ingress.onRtp(v, 0, v.length);
                byte[] a = audio(500 + i, 960L * i).build();
                ingress.onRtp(a, 0, a.length);
                clock.advanceMillis(33);
            }
            RtpHeader firstVideo = withSsrc(t, 0xA2).getFirst();
            RtpHeader firstAudio = withSsrc(t, 0xA1).getFirst();
            byte[] nack = new byte[64];
            int n = RtcpWriter.writeNack(nack, 0, 0x777, 0xA2, new int[] {firstVideo.sequenceNumber()}, 1);
            viewer.rtcpInput().onRtcp(Arrays.copyOf(nack, n), 0, n);
            RtpHeader firstRtx = withSsrc(t, 0xA3).getFirst();

            highestFirst[0] = Math.max(highestFirst[0], firstVideo.sequenceNumber());
            highestFirst[1] = Math.max(highestFirst[1], firstAudio.sequenceNumber());
            highestFirst[2] = Math.max(highestFirst[2], firstRtx.sequenceNumber());
        }
        assertThat(Arrays.stream(highestFirst).boxed().toList())
                .as("the highest first sequence number of video, audio and RTX over %d viewers", ROUTERS)
                .allMatch(seq -> seq < 32_768);
    }
}
