package live.cascade.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import live.cascade.hls.media.StreamFormat;
import org.junit.jupiter.api.Test;

/**
 * The publisher's AAC placed on the tap's timeline through the Opus made from it: both on the audio track's 48 kHz
 * RTP clock, so a frame lies where the Opus at its RTP time lies. Configs HLS cannot take as they are fall back to the
 * transcode; what was decided at the start stays.
 */
class OriginalAudioTest {
    /** AAC-LC, 44.1 kHz, stereo: object type 2, rate index 4, channel configuration 2. */
    static final byte[] LC_44K_STEREO = {0x12, 0x10};
    /** HE-AAC (object type 5) at 24 kHz core: not passed through. */
    static final byte[] HE_AAC = {0x2B, (byte) 0x92, 0x08, 0x00};

    record Out(byte[] data, long pts) {}

    @Test
    void aacLcConfigsBecomeFormatsAndOthersDoNot() {
        StreamFormat f = StreamFormat.aac(LC_44K_STEREO);
        assertThat(f).isNotNull();
        assertThat(f.sampleRate()).isEqualTo(44_100);
        assertThat(f.clockRate()).isEqualTo(44_100);
        assertThat(f.channels()).isEqualTo(2);
        assertThat(f.frameSize()).isEqualTo(1024);
        assertThat(f.codecs()).isEqualTo("mp4a.40.2");
        assertThat(f.extradata()).containsExactly(LC_44K_STEREO);
        assertThat(StreamFormat.aac(HE_AAC)).isNull();
        assertThat(StreamFormat.aac(new byte[] {0x12, 0x14})).as("960-sample frames").isNull();
        assertThat(StreamFormat.aac(new byte[] {0x12})).isNull();
        assertThat(StreamFormat.aac(new byte[] {0x17, (byte) 0x90})).as("rate index 15 (explicit rate)").isNull();
    }

    @Test
    void framesArePlacedByTheOpusOnTheSameClockAndReleasedOnlyUpToIt() {
        OriginalAudio o = new OriginalAudio("c");
        o.config(LC_44K_STEREO, 2);
        List<Out> out = new ArrayList<>();
        long base = 0xFFFF_FC00L; // the 32-bit clock wraps after the first frame
        for (int i = 0; i < 4; i++) o.frame(new byte[] {(byte) i, 9, 9}, 2, base + i * 1024L * 48_000 / 44_100);
        // Opus before the decision lets the frames up to it go.
        o.opusPlaced(base, 5_000, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).isEmpty();
        assertThat(o.decide(true)).isNotNull();
        assertThat(o.used()).isTrue();
        // The Opus at base + 2000 (extended past the wrap) sits at 1 s: frame 1 (base + 1114) is released, 2 and 3 wait.
        o.opusPlaced((1L << 32) + ((base + 2000) & 0xFFFF_FFFFL), 1_000_000, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).singleElement().satisfies(x -> {
            assertThat(x.data()).containsExactly(1, 9);
            assertThat(x.pts()).isEqualTo(1_000_000 - (2000 - 1114) * 1_000_000L / 48_000);
        });
        o.opusPlaced((1L << 32) + ((base + 4000) & 0xFFFF_FFFFL), 1_041_667, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).hasSize(3);
        assertThat(out.get(1).pts()).isGreaterThan(out.get(0).pts());
        assertThat(out.get(2).pts() - out.get(1).pts()).as("1024 samples at 44.1 kHz").isBetween(23_200L, 23_240L);
    }

    @Test
    void withoutAnAacLcConfigAtTheStartTheOpusIsTranscodedForTheWholeBroadcast() {
        OriginalAudio o = new OriginalAudio("c");
        o.config(HE_AAC, HE_AAC.length);
        o.frame(new byte[] {1}, 1, 100);
        assertThat(o.decide(true)).isNull();
        o.config(LC_44K_STEREO, 2); // too late: HLS and the recording have set up with the transcoded format
        o.frame(new byte[] {2}, 1, 200);
        List<Out> out = new ArrayList<>();
        o.opusPlaced(1000, 0, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).isEmpty();
        assertThat(o.used()).isFalse();

        OriginalAudio vp8 = new OriginalAudio("c");
        vp8.config(LC_44K_STEREO, 2);
        assertThat(vp8.decide(false)).as("WebM (VP8) takes no AAC").isNull();
    }

    @Test
    void aConfigChangeMidBroadcastStopsTheOriginalRatherThanMixFormats() {
        OriginalAudio o = new OriginalAudio("c");
        o.config(LC_44K_STEREO, 2);
        assertThat(o.decide(true)).isNotNull();
        o.config(LC_44K_STEREO, 2); // the same again (a reconnect): nothing changes
        o.frame(new byte[] {1}, 1, 100);
        List<Out> out = new ArrayList<>();
        o.opusPlaced(100, 0, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).hasSize(1);
        o.config(new byte[] {0x11, (byte) 0x90}, 2); // 48 kHz stereo
        o.frame(new byte[] {2}, 1, 2000);
        o.opusPlaced(2000, 40_000, (d, p) -> out.add(new Out(d, p)));
        assertThat(out).hasSize(1);
    }
}
