package live.cascade.hls;

import live.cascade.hls.media.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * A media file read to the end the way a player would: every packet demuxed, every video and audio packet decoded.
 * It counts what a probe would complain about (decoder errors, packets whose decoding timestamps do not increase) and
 * keeps the luma plane of the first video frame at or after each requested time, so tests can tell a picture that
 * keeps changing from a frozen or empty one.
 */
final class DecodedMedia {
    /** A decoded picture's luma plane (no padding) and where it lies. */
    record Picture(long ptsMicros, int width, int height, byte[] luma) {
        /** Mean absolute difference of luma values, 0 for identical pictures. */
        double difference(Picture o) {
            long sum = 0;
            int n = Math.min(luma.length, o.luma.length);
            for (int i = 0; i < n; i++) sum += Math.abs((luma[i] & 0xFF) - (o.luma[i] & 0xFF));
            return (double) sum / n;
        }
    }

    final List<Picture> pictures = new ArrayList<>();
    int videoFrames;
    int audioFrames;
    int decodeErrors;
    int nonIncreasingDts;
    long lastVideoPtsMicros = Long.MIN_VALUE;

    private DecodedMedia() {}

    /** Reads {@code file}, keeping the pictures at (or first after) each of {@code atMicros}, ascending. */
    static DecodedMedia read(Path file, long... atMicros) {
        Ffmpeg.load();
        DecodedMedia m = new DecodedMedia();
        AVFormatContext ctx = new AVFormatContext(null);
        Ffmpeg.check(avformat_open_input(ctx, file.toString(), null, null), "open " + file);
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        AVCodecContext[] decoders = new AVCodecContext[ctx.nb_streams()];
        try {
            Ffmpeg.check(avformat_find_stream_info(ctx, (AVDictionary) null), "probe " + file);
            long[] lastDts = new long[ctx.nb_streams()];
            java.util.Arrays.fill(lastDts, Long.MIN_VALUE);
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVStream st = ctx.streams(i);
                AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
                if (codec == null || codec.isNull()) continue;
                AVCodecContext dec = avcodec_alloc_context3(codec);
                Ffmpeg.check(avcodec_parameters_to_context(dec, st.codecpar()), "decoder parameters");
                Ffmpeg.check(avcodec_open2(dec, codec, (AVDictionary) null), "open decoder");
                decoders[i] = dec;
            }
            int next = 0;
            while (av_read_frame(ctx, pkt) >= 0) {
                int si = pkt.stream_index();
                if (pkt.dts() != AV_NOPTS_VALUE) {
                    if (lastDts[si] != Long.MIN_VALUE && pkt.dts() <= lastDts[si]) m.nonIncreasingDts++;
                    lastDts[si] = pkt.dts();
                }
                if (decoders[si] != null) next = m.decode(ctx.streams(si), decoders[si], pkt, frame, atMicros, next);
                av_packet_unref(pkt);
            }
            for (int i = 0; i < decoders.length; i++) if (decoders[i] != null) next = m.decode(ctx.streams(i), decoders[i], null, frame, atMicros, next);
        } finally {
            for (AVCodecContext d : decoders) if (d != null) avcodec_free_context(d);
            av_frame_free(frame);
            av_packet_free(pkt);
            avformat_close_input(ctx);
        }
        return m;
    }

    private int decode(AVStream st, AVCodecContext dec, AVPacket pkt, AVFrame frame, long[] at, int next) {
        if (avcodec_send_packet(dec, pkt) < 0) decodeErrors++;
        while (true) {
            int r = avcodec_receive_frame(dec, frame);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) break;
            if (r < 0) {
                decodeErrors++;
                break;
            }
            if (frame.decode_error_flags() != 0) decodeErrors++;
            boolean video = st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO;
            if (video) {
                videoFrames++;
                long pts = av_rescale_q(frame.best_effort_timestamp(), st.time_base(), av_make_q(1, 1_000_000));
                lastVideoPtsMicros = Math.max(lastVideoPtsMicros, pts);
                if (next < at.length && pts >= at[next]) {
                    pictures.add(new Picture(pts, frame.width(), frame.height(), luma(frame)));
                    next++;
                }
            } else {
                audioFrames++;
            }
            av_frame_unref(frame);
        }
        return next;
    }

    private static byte[] luma(AVFrame f) {
        int w = f.width();
        int h = f.height();
        byte[] out = new byte[w * h];
        BytePointer y = f.data(0);
        for (int r = 0; r < h; r++) y.position((long) r * f.linesize(0)).get(out, r * w, w);
        y.position(0);
        return out;
    }
}
