package live.cascade.ingest.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.flv.AvcConfig;
import live.cascade.ingest.flv.VideoTag;
import org.junit.jupiter.api.Test;

class TsToFlvTest {
    record Tag(boolean video, long ms, byte[] body) {}

    final List<Tag> tags = new ArrayList<>();
    final TsToFlv flv = new TsToFlv(new StreamPublisher() {
        @Override public void video(long ts, byte[] tag) { tags.add(new Tag(true, ts, tag)); }
        @Override public void audio(long ts, byte[] tag) { tags.add(new Tag(false, ts, tag)); }
        @Override public void close() { }
    });

    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, 0x11, 0x22};
    static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

    @Test
    void aKeyframeWithInBandParameterSetsBecomesASequenceHeaderAndAnAvccFrame() {
        byte[] au = concat(new byte[] {0, 0, 0, 1, 0x09, (byte) 0xF0}, new byte[] {0, 0, 0, 1}, SPS, new byte[] {0, 0, 1}, PPS,
                new byte[] {0, 0, 1, 0x65, 1, 2, 3});
        flv.video(au, au.length, 90_000 + 2 * 3000, 90_000);
        assertThat(tags).hasSize(2);
        byte[] header = tags.get(0).body();
        AvcConfig c = AvcConfig.parse(header, 5, header.length - 5);
        assertThat(c.profileLevelId()).isEqualTo("42c01e");
        assertThat(c.sps().getFirst()).containsExactly(SPS);
        assertThat(c.pps().getFirst()).containsExactly(PPS);
        VideoTag v = VideoTag.parse(tags.get(1).body());
        assertThat(v.keyframe()).isTrue();
        assertThat(v.cts()).isEqualTo(66);
        assertThat(tags.get(1).body()).endsWith(0, 0, 0, 4, 0x65, 1, 2, 3);

        byte[] p = {0, 0, 0, 1, 0x41, 9, 9};
        flv.video(p, p.length, 93_000, 93_000);
        assertThat(tags).hasSize(3).last().satisfies(t -> {
            assertThat(t.ms()).isEqualTo(33);
            assertThat(t.body()[0]).isEqualTo((byte) 0x27);
        });
        // The same parameter sets again: no second sequence header.
        flv.video(au, au.length, 96_000, 96_000);
        assertThat(tags).hasSize(4);
    }

    @Test
    void adtsFramesBecomeAnAudioConfigThenRawFrames() {
        byte[] one = adts(4, 2, new byte[] {1, 2, 3});
        byte[] two = concat(one, adts(4, 2, new byte[] {4, 5}));
        flv.audio(two, two.length, 0);
        assertThat(tags).hasSize(3);
        assertThat(tags.get(0).body()).containsExactly(0xAF, 0, 0x12, 0x10);
        assertThat(tags.get(1).body()).containsExactly(0xAF, 1, 1, 2, 3);
        assertThat(tags.get(2).body()).containsExactly(0xAF, 1, 4, 5);
        assertThat(tags.get(2).ms()).isEqualTo(23);
    }

    @Test
    void garbageIsCountedNeverThrown() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            if (b.length > 4 && r.nextBoolean()) { b[0] = 0; b[1] = 0; b[2] = 1; }
            if (r.nextBoolean()) flv.video(b, b.length, r.nextLong(1L << 33), r.nextLong(1L << 33));
            else flv.audio(b, b.length, r.nextLong(1L << 33));
        }
        assertThat(flv.malformed()).isPositive();
    }

    static byte[] adts(int rateIndex, int channels, byte[] payload) {
        int len = 7 + payload.length;
        byte[] h = {(byte) 0xFF, (byte) 0xF1, (byte) ((1 << 6) | (rateIndex << 2) | (channels >> 2)),
                (byte) (((channels & 3) << 6) | (len >> 11)), (byte) (len >> 3), (byte) (((len & 7) << 5) | 0x1F), (byte) 0xFC};
        return concat(h, payload);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
