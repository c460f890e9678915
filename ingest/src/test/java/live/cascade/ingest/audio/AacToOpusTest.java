package live.cascade.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/** Real AAC (made here by libavcodec's encoder, 44.1 kHz as most RTMP encoders send it) through the transcoder. */
class AacToOpusTest {
    record Aac(byte[] config, List<byte[]> frames) {}

    /** {@code seconds} of a 440 Hz tone as AAC-LC, 44.1 kHz stereo: its AudioSpecificConfig and raw frames. */
    static Aac tone(double seconds) {
        AacToOpus.load();
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        AVCodecContext enc = avcodec_alloc_context3(codec);
        enc.sample_rate(44_100);
        enc.sample_fmt(AV_SAMPLE_FMT_FLTP);
        av_channel_layout_default(enc.ch_layout(), 2);
        enc.bit_rate(128_000);
        enc.time_base(av_make_q(1, 44_100));
        enc.flags(enc.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        assertThat(avcodec_open2(enc, codec, (AVDictionary) null)).isZero();
        byte[] asc = new byte[enc.extradata_size()];
        enc.extradata().get(asc);
        AVFrame f = av_frame_alloc();
        f.nb_samples(enc.frame_size());
        f.format(AV_SAMPLE_FMT_FLTP);
        av_channel_layout_default(f.ch_layout(), 2);
        f.sample_rate(44_100);
        av_frame_get_buffer(f, 0);
        AVPacket pkt = av_packet_alloc();
        List<byte[]> frames = new ArrayList<>();
        long total = (long) (seconds * 44_100);
        for (long s = 0; s < total; s += enc.frame_size()) {
            for (int ch = 0; ch < 2; ch++) {
                FloatPointer plane = new FloatPointer(f.data(ch));
                for (int i = 0; i < enc.frame_size(); i++) plane.put(i, (float) (0.3 * Math.sin(2 * Math.PI * 440 * (s + i) / 44_100.0)));
            }
            f.pts(s);
            avcodec_send_frame(enc, f);
            while (avcodec_receive_packet(enc, pkt) == 0) {
                byte[] b = new byte[pkt.size()];
                pkt.data().get(b);
                frames.add(b);
                av_packet_unref(pkt);
            }
        }
        av_packet_free(pkt);
        av_frame_free(f);
        avcodec_free_context(enc);
        return new Aac(asc, frames);
    }

    @Test
    void aacBecomesOneOpusPacketPer20MsWithoutGapsInItsTimeline() {
        Aac aac = tone(2);
        List<Long> indices = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        try (AacToOpus t = new AacToOpus(aac.config(), 96_000)) {
            for (byte[] frame : aac.frames()) t.transcode(frame, 0, frame.length, (data, len, index) -> {
                indices.add(index);
                sizes.add(len);
            });
            assertThat(t.decodeErrors()).isZero();
            assertThat(t.frameSize()).isEqualTo(960);
        }
        // 2 s of input, less the decoder's and encoder's delays.
        assertThat(indices.size()).isBetween(90, 100);
        for (int i = 0; i < indices.size(); i++) assertThat(indices.get(i)).isEqualTo(i * 960L);
        assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(3, 1275)); // a tone, not silence (DTX-size) packets
        assertThat(sizes.stream().mapToInt(Integer::intValue).average().orElse(0)).isGreaterThan(50);
    }

    @Test
    void garbageFramesAreCountedNotThrown() {
        Aac aac = tone(0.2);
        try (AacToOpus t = new AacToOpus(aac.config(), 64_000)) {
            byte[] junk = new byte[200];
            new java.util.Random(3).nextBytes(junk);
            for (int i = 0; i < 5; i++) t.transcode(junk, 0, junk.length, (d, l, x) -> { });
            assertThat(t.decodeErrors()).isPositive();
            List<Long> after = new ArrayList<>();
            for (byte[] frame : aac.frames()) t.transcode(frame, 0, frame.length, (d, l, x) -> after.add(x));
            assertThat(after).as("good frames after bad ones still transcode").isNotEmpty();
        }
    }
}
