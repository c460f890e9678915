package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.Optional;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * JPEG stills from a video stream: a keyframe is decoded on its own (no other frames needed), scaled to at most
 * {@code maxWidth} keeping its aspect, and encoded with FFmpeg's MJPEG encoder. Used for the live thumbnail and the
 * recording's poster; decoding also tells the tap the source's picture size.
 */
public final class Thumbnailer implements AutoCloseable {
    private static final int LAMBDA_PER_QP = 118; // FF_QP2LAMBDA
    private static final int QUALITY = 4;          // MJPEG qscale: 2 (best) .. 31

    /** A JPEG and the size of the picture it shows before scaling. */
    public record Still(byte[] jpeg, int sourceWidth, int sourceHeight) {
    }

    private final VideoDecoder decoder;
    private final int maxWidth;
    private final AVPacket pkt = av_packet_alloc();

    public Thumbnailer(int codecId, int maxWidth) {
        Ffmpeg.load();
        this.decoder = new VideoDecoder(codecId, 1);
        this.maxWidth = maxWidth;
    }

    /** The still of {@code keyframe}, or empty when it does not decode on its own. */
    public Optional<Still> render(byte[] keyframe) {
        Still[] result = new Still[1];
        VideoDecoder.FrameSink sink = (frame, pts) -> {
            if (result[0] == null) result[0] = encode(frame);
        };
        decoder.decode(keyframe, 0, sink);
        decoder.drain(sink);
        return Optional.ofNullable(result[0]);
    }

    private Still encode(AVFrame frame) {
        int sw = frame.width();
        int sh = frame.height();
        if (sw <= 0 || sh <= 0) return null;
        int w = Math.min(maxWidth, sw) & ~1;
        int h = Math.max(2, (int) Math.round((double) sh * w / sw) & ~1);
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        AVCodecContext enc = avcodec_alloc_context3(codec);
        try (VideoScaler scaler = new VideoScaler(w, h, AV_PIX_FMT_YUVJ420P)) {
            enc.width(w);
            enc.height(h);
            enc.pix_fmt(AV_PIX_FMT_YUVJ420P);
            enc.color_range(AVCOL_RANGE_JPEG);
            enc.time_base(av_make_q(1, 25));
            enc.flags(enc.flags() | AV_CODEC_FLAG_QSCALE);
            enc.global_quality(QUALITY * LAMBDA_PER_QP);
            Ffmpeg.check(avcodec_open2(enc, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "open mjpeg encoder");
            AVFrame scaled = scaler.scale(frame);
            scaled.pts(0);
            scaled.quality(QUALITY * LAMBDA_PER_QP);
            Ffmpeg.check(avcodec_send_frame(enc, scaled), "encode jpeg");
            avcodec_send_frame(enc, null);
            if (avcodec_receive_packet(enc, pkt) < 0) return null;
            try {
                byte[] jpeg = new byte[pkt.size()];
                pkt.data().get(jpeg);
                return new Still(jpeg, sw, sh);
            } finally {
                av_packet_unref(pkt);
            }
        } finally {
            avcodec_free_context(enc);
        }
    }

    @Override
    public void close() {
        decoder.close();
        av_packet_free(pkt);
    }
}
