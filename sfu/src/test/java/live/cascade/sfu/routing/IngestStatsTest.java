package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.audio;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

class IngestStatsTest {
    /** libx264's SPS for 640x360 High (coded as 368 lines, cropped by 8). */
    private static final byte[] SPS = HexFormat.of().parseHex("6764001eacd940a02ff970110000030001000003003c0f162d96");
    private static final byte[] PPS = bytes(0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0);

    private final ManualClock clock = new ManualClock();

    private static byte[] stapA(byte[]... nals) {
        int n = 1;
        for (byte[] nal : nals) n += 2 + nal.length;
        byte[] out = new byte[n];
        out[0] = 24;
        int pos = 1;
        for (byte[] nal : nals) {
            out[pos] = (byte) (nal.length >> 8);
            out[pos + 1] = (byte) nal.length;
            System.arraycopy(nal, 0, out, pos + 2, nal.length);
            pos += 2 + nal.length;
        }
        return out;
    }

    @Test
    void reportsBitrateFrameRateKeyframeIntervalLossJitterCodecAndResolution() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        MediaReceiver in = router.attachPublisher(new FakeTransport(), Fixtures.publisher());
        byte[] delta = new byte[1000];
        delta[0] = 0x41;
        int seq = 0;
        int audioSeq = 0;
        int n = 0;
        for (int frame = 0; frame < 90; frame++) { // 3 s at 30 fps, a keyframe every second, 2 packets a frame
            long ts = 3000L * frame;
            boolean key = frame % 30 == 0;
            byte[][] packets = key
                    ? new byte[][] {video(seq++, ts, stapA(SPS, PPS)).build(), video(seq++, ts, Fixtures.IDR).build()}
                    : new byte[][] {video(seq++, ts, delta).build(), video(seq++, ts, delta).build()};
            for (byte[] p : packets) {
                // every tenth delta packet is lost on the way
                if (key || n++ % 10 != 5) in.onRtp(p, 0, p.length);
            }
            if (frame % 3 == 0) {
                for (int k = 0; k < 5; k++) {
                    byte[] a = audio(audioSeq++, 960L * audioSeq).build();
                    in.onRtp(a, 0, a.length);
                }
            }
            clock.advanceMillis(33);
            if (frame % 3 == 2) router.onTick(clock.nanoTime());
        }
        IngestStats s = router.ingestStats();
        assertThat(s.publisherAttached()).isTrue();
        IngestTrackStats v = s.track(MediaKind.VIDEO);
        assertThat(v.codec()).isEqualTo("H264");
        assertThat(v.width()).isEqualTo(640);
        assertThat(v.height()).isEqualTo(360);
        assertThat(v.frameRate()).isBetween(29.0, 31.5);
        assertThat(v.keyframeIntervalMillis()).isBetween(980L, 1000L);
        assertThat(v.keyframes()).isEqualTo(3);
        // ~2 × 1012 bytes per frame minus 10 % at 30.3 fps
        assertThat(v.bitrate()).isBetween(400_000L, 520_000L);
        assertThat(v.packetLoss()).isBetween(0.07, 0.12);
        assertThat(v.packetsLost()).isPositive();
        assertThat(v.jitterMillis()).isGreaterThanOrEqualTo(0);
        assertThat(v.lastPacketAgeMillis()).isBetween(0L, 100L);
        IngestTrackStats a = s.track(MediaKind.AUDIO);
        assertThat(a.codec()).isEqualTo("opus");
        assertThat(a.frameRate()).isEqualTo(-1);
        assertThat(a.width()).isZero();
        assertThat(a.bitrate()).isPositive();
        assertThat(a.packetLoss()).isZero();
    }

    @Test
    void beforeAnyMediaEverythingIsUnknown() {
        Router router = Fixtures.router(clock, RouterListener.NONE);
        IngestStats s = router.ingestStats();
        assertThat(s.publisherAttached()).isFalse();
        assertThat(s.congestionFeedback()).isEqualTo("none");
        IngestTrackStats v = s.track(MediaKind.VIDEO);
        assertThat(v.bitrate()).isEqualTo(-1);
        assertThat(v.keyframeIntervalMillis()).isEqualTo(-1);
        assertThat(v.lastPacketAgeMillis()).isEqualTo(-1);
    }
}
