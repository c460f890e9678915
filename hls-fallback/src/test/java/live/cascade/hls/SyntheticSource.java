package live.cascade.hls;

import live.cascade.hls.media.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Coded test media made with FFmpeg in process: a moving picture encoded as H.264 baseline (Annex B, parameter sets in
 * band like a WebRTC sender) or VP8, and a sine tone as 20 ms Opus frames.
 */
public final class SyntheticSource {
    /** One coded frame with its timestamp in its RTP clock. */
    public record Coded(byte[] data, long ticks, boolean keyframe) {
    }

    private SyntheticSource() {}

    /** {@code seconds} of video at {@code fps}, a keyframe every {@code gop} frames. */
    public static List<Coded> video(String encoder, int width, int height, int fps, int gop, double seconds) {
        Ffmpeg.load();
        AVCodec codec = avcodec_find_encoder_by_name(encoder);
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.width(width);
        c.height(height);
        c.pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, 90_000));
        c.framerate(av_make_q(fps, 1));
        c.gop_size(gop);
        c.max_b_frames(0);
        c.bit_rate(1_500_000);
        c.thread_count(2);
        AVDictionary o = new AVDictionary(null);
        if (encoder.equals("libx264")) {
            av_dict_set(o, "preset", "ultrafast", 0);
            av_dict_set(o, "tune", "zerolatency", 0);
            av_dict_set(o, "profile", "baseline", 0);
            av_dict_set(o, "x264-params", "scenecut=0:repeat-headers=1", 0);
        } else {
            av_dict_set(o, "deadline", "realtime", 0);
            av_dict_set(o, "cpu-used", "8", 0);
        }
        check(avcodec_open2(c, codec, o));
        av_dict_free(o);
        AVFrame f = av_frame_alloc();
        f.width(width);
        f.height(height);
        f.format(AV_PIX_FMT_YUV420P);
        check(av_frame_get_buffer(f, 0));
        AVPacket p = av_packet_alloc();
        List<Coded> out = new ArrayList<>();
        int frames = (int) Math.round(seconds * fps);
        for (int i = 0; i <= frames; i++) {
            if (i < frames) {
                check(av_frame_make_writable(f));
                paint(f, i);
                f.pts(i * 90_000L / fps);
                f.pict_type(i % gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
                check(avcodec_send_frame(c, f));
            } else {
                avcodec_send_frame(c, null);
            }
            while (avcodec_receive_packet(c, p) == 0) {
                byte[] d = new byte[p.size()];
                p.data().get(d);
                out.add(new Coded(d, p.pts(), (p.flags() & AV_PKT_FLAG_KEY) != 0));
                av_packet_unref(p);
            }
        }
        av_packet_free(p);
        av_frame_free(f);
        avcodec_free_context(c);
        return out;
    }

    private static void paint(AVFrame f, int i) {
        int w = f.width();
        int h = f.height();
        BytePointer y = f.data(0);
        int ls = f.linesize(0);
        byte[] row = new byte[w];
        // A smooth gradient panning slowly, and a bright square moving across it: picture content an encoder handles
        // the way it handles a camera, unlike noise (which would make every encoder look slow).
        int bx = (i * 8) % Math.max(1, w - h / 4);
        int by = h / 3;
        int bs = h / 4;
        for (int r = 0; r < h; r++) {
            for (int x = 0; x < w; x++) {
                int v = 16 + ((x + 2 * i) * 180 / w + r * 40 / h) % 200;
                if (x >= bx && x < bx + bs && r >= by && r < by + bs) v = 235 - ((x - bx) / 8 % 2) * 60;
                row[x] = (byte) v;
            }
            y.position((long) r * ls).put(row, 0, w);
        }
        y.position(0);
        for (int plane = 1; plane <= 2; plane++) {
            BytePointer uv = f.data(plane);
            int l = f.linesize(plane);
            byte[] half = new byte[w / 2];
            java.util.Arrays.fill(half, (byte) (128 + (plane == 1 ? i % 50 : -(i % 50))));
            for (int r = 0; r < h / 2; r++) uv.position((long) r * l).put(half, 0, w / 2);
            uv.position(0);
        }
    }

    /** {@code seconds} of a 440 Hz tone as 20 ms Opus packets (48 kHz stereo). */
    public static List<Coded> opus(double seconds) {
        Ffmpeg.load();
        AVCodec codec = avcodec_find_encoder_by_name("libopus");
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.sample_rate(48_000);
        c.sample_fmt(AV_SAMPLE_FMT_FLT);
        av_channel_layout_default(c.ch_layout(), 2);
        c.bit_rate(64_000);
        c.time_base(av_make_q(1, 48_000));
        check(avcodec_open2(c, codec, (AVDictionary) null));
        int n = c.frame_size();
        AVFrame f = av_frame_alloc();
        f.nb_samples(n);
        f.format(AV_SAMPLE_FMT_FLT);
        av_channel_layout_default(f.ch_layout(), 2);
        f.sample_rate(48_000);
        check(av_frame_get_buffer(f, 0));
        AVPacket p = av_packet_alloc();
        List<Coded> out = new ArrayList<>();
        int frames = (int) Math.round(seconds * 48_000 / n);
        long sample = 0;
        for (int i = 0; i <= frames; i++) {
            if (i < frames) {
                check(av_frame_make_writable(f));
                FloatPointer fp = new FloatPointer(f.data(0));
                float[] buf = new float[n * 2];
                for (int s = 0; s < n; s++) {
                    float v = (float) (0.3 * Math.sin(2 * Math.PI * 440 * (sample + s) / 48_000.0));
                    buf[2 * s] = v;
                    buf[2 * s + 1] = v;
                }
                fp.put(buf);
                f.pts(sample);
                sample += n;
                check(avcodec_send_frame(c, f));
            } else {
                avcodec_send_frame(c, null);
            }
            while (avcodec_receive_packet(c, p) == 0) {
                byte[] d = new byte[p.size()];
                p.data().get(d);
                if (p.pts() >= 0) out.add(new Coded(d, p.pts(), true));
                av_packet_unref(p);
            }
        }
        av_packet_free(p);
        av_frame_free(f);
        avcodec_free_context(c);
        return out;
    }

    private static void check(int r) {
        if (r < 0) throw new IllegalStateException("FFmpeg: " + Ffmpeg.describe(r));
    }
}
