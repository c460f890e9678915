package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * Decodes a video stream (H.264, VP8; HEVC and AV1 keyframes for stills) frame by frame. Timestamps pass through in microseconds. Slice threading only:
 * frame threading would hold frames back, one per thread, and add latency for nothing at these sizes.
 */
public final class VideoDecoder implements AutoCloseable {
    /** Receives each decoded frame; the frame is valid only during the call. */
    public interface FrameSink {
        void onFrame(AVFrame frame, long ptsMicros);
    }

    /** libavcodec's FF_THREAD_SLICE (not exported by the Java bindings). */
    private static final int THREAD_SLICE = 2;

    private final AVCodecContext ctx;
    private final AVPacket pkt = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private long errors;

    public VideoDecoder(int codecId, int threads) {
        Ffmpeg.load();
        AVCodec codec = find(codecId);
        if (codec == null || codec.isNull()) throw new FfmpegException("no decoder for codec id " + codecId);
        ctx = avcodec_alloc_context3(codec);
        ctx.pkt_timebase(av_make_q(1, 1_000_000));
        ctx.thread_count(threads);
        ctx.thread_type(THREAD_SLICE);
        int r = avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (r < 0) {
            close();
            throw new FfmpegException("open " + codec.name().getString() + " decoder", r);
        }
    }

    /**
     * The decoder for {@code codecId}. For AV1 a software one by name: FFmpeg's own AV1 decoder decodes only through a
     * hardware accelerator, which a server rarely has; the bundled build has libaom's.
     */
    private static AVCodec find(int codecId) {
        if (codecId == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1) {
            for (String name : new String[] {"libdav1d", "libaom-av1"}) {
                AVCodec c = org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name(name);
                if (c != null && !c.isNull()) return c;
            }
        }
        return avcodec_find_decoder(codecId);
    }

    /**
     * Decodes one coded frame. A damaged frame is counted and skipped (the decoder conceals what it can and resyncs at
     * the next keyframe); it never throws for bad input. Returns the number of frames delivered.
     */
    public int decode(byte[] data, long ptsMicros, FrameSink sink) {
        if (av_new_packet(pkt, data.length) < 0) return 0;
        pkt.data().put(data, 0, data.length);
        pkt.pts(ptsMicros);
        pkt.dts(ptsMicros);
        int r = avcodec_send_packet(ctx, pkt);
        av_packet_unref(pkt);
        if (r < 0 && r != AVERROR_EAGAIN()) errors++;
        return receive(sink);
    }

    /** Emits frames still buffered in the decoder, then makes it ready for a new stream. */
    public int drain(FrameSink sink) {
        avcodec_send_packet(ctx, null);
        int n = receive(sink);
        avcodec_flush_buffers(ctx);
        return n;
    }

    private int receive(FrameSink sink) {
        int n = 0;
        while (true) {
            int r = avcodec_receive_frame(ctx, frame);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) return n;
            if (r < 0) {
                errors++;
                return n;
            }
            long pts = frame.best_effort_timestamp();
            if (pts == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE) pts = frame.pts();
            try {
                sink.onFrame(frame, pts);
            } finally {
                av_frame_unref(frame);
            }
            n++;
        }
    }

    /** Frames the decoder refused or failed on. */
    public long errors() { return errors; }

    @Override
    public void close() {
        if (ctx != null && !ctx.isNull()) avcodec_free_context(ctx);
        av_packet_free(pkt);
        av_frame_free(frame);
    }
}
