package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * An H.264 encoder for one ladder rung: libx264 (veryfast, zero-latency tuning: no B-frames, no lookahead, slice
 * threads) or NVENC. Keyframes come only where {@link #encode} is told to force one (segment boundaries): scene-cut
 * keyframes are off and the regular interval is long, so every rendition has the same fixed GOPs and players can
 * switch between them at any segment. Timestamps are 90 kHz ticks.
 */
public final class VideoEncoder implements AutoCloseable {
    public static final int CLOCK = 90_000;

    private final AVCodecContext ctx;
    private final AVPacket pkt = av_packet_alloc();
    private final VideoEncoderSettings settings;
    private final StreamFormat format;
    private long frames;

    /** Opens the encoder; throws {@link FfmpegException} when it is missing or refuses the settings. */
    public VideoEncoder(VideoEncoderSettings s) {
        Ffmpeg.load();
        this.settings = s;
        AVCodec codec = avcodec_find_encoder_by_name(s.encoder());
        if (codec == null || codec.isNull()) throw new FfmpegException("encoder " + s.encoder() + " is not in this FFmpeg build");
        ctx = avcodec_alloc_context3(codec);
        ctx.width(s.width());
        ctx.height(s.height());
        ctx.pix_fmt(AV_PIX_FMT_YUV420P);
        ctx.time_base(av_make_q(1, CLOCK));
        ctx.framerate(av_make_q(s.frameRate(), 1));
        ctx.gop_size(s.gopFrames());
        ctx.max_b_frames(0);
        ctx.bit_rate(s.bitRate());
        ctx.rc_max_rate(s.bitRate() * 6 / 5);
        ctx.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, s.bitRate() * 2));
        ctx.thread_count(s.threads());
        ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        AVDictionary opts = new AVDictionary(null);
        try {
            if (s.encoder().equals("libx264")) {
                av_dict_set(opts, "preset", s.preset(), 0);
                av_dict_set(opts, "tune", "zerolatency", 0);
                av_dict_set(opts, "profile", "high", 0);
                av_dict_set(opts, "forced-idr", "1", 0);
                av_dict_set(opts, "x264-params", "scenecut=0:keyint_min=" + s.gopFrames(), 0);
            } else {
                // NVENC: low-latency preset, no B-frames, forced keyframes as IDR.
                av_dict_set(opts, "preset", "p3", 0);
                av_dict_set(opts, "tune", "ll", 0);
                av_dict_set(opts, "rc", "cbr", 0);
                av_dict_set(opts, "zerolatency", "1", 0);
                av_dict_set(opts, "forced-idr", "1", 0);
                av_dict_set(opts, "no-scenecut", "1", 0);
            }
            int r = avcodec_open2(ctx, codec, opts);
            if (r < 0) {
                avcodec_free_context(ctx);
                av_packet_free(pkt);
                throw new FfmpegException("open " + s.encoder() + " at " + s.width() + "x" + s.height(), r);
            }
        } finally {
            av_dict_free(opts);
        }
        byte[] extradata = new byte[ctx.extradata_size()];
        if (extradata.length > 0) ctx.extradata().get(extradata);
        format = new StreamFormat(true, AV_CODEC_ID_H264, s.width(), s.height(), 0, 0, extradata, CLOCK, s.bitRate(), 0,
                StreamFormat.avcCodecString(extradata));
    }

    /** What a muxer needs for this encoder's output (extradata: SPS and PPS). */
    public StreamFormat format() { return format; }

    public VideoEncoderSettings settings() { return settings; }

    /**
     * Encodes one picture of the rung's size and format at {@code pts90k}; {@code keyframe} forces an IDR picture.
     * Packets come out at once (no B-frames, no lookahead) through {@code out}.
     */
    public void encode(AVFrame frame, long pts90k, long durationTicks, boolean keyframe, Consumer<MediaPacket> out) {
        frame.pts(pts90k);
        frame.pict_type(keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        frame.duration(durationTicks);
        Ffmpeg.check(avcodec_send_frame(ctx, frame), "encode " + settings.encoder());
        frames++;
        receive(out, durationTicks);
    }

    /** Emits what the encoder still holds (end of stream). */
    public void drain(Consumer<MediaPacket> out) {
        avcodec_send_frame(ctx, null);
        receive(out, CLOCK / Math.max(1, settings.frameRate()));
    }

    private void receive(Consumer<MediaPacket> out, long durationTicks) {
        while (true) {
            int r = avcodec_receive_packet(ctx, pkt);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) return;
            Ffmpeg.check(r, "receive packet from " + settings.encoder());
            try {
                byte[] data = new byte[pkt.size()];
                pkt.data().get(data);
                long duration = pkt.duration() > 0 ? pkt.duration() : durationTicks;
                out.accept(new MediaPacket(data, pkt.pts(), pkt.dts(), duration, CLOCK, (pkt.flags() & AV_PKT_FLAG_KEY) != 0));
            } finally {
                av_packet_unref(pkt);
            }
        }
    }

    public long frames() { return frames; }

    @Override
    public void close() {
        if (ctx != null && !ctx.isNull()) avcodec_free_context(ctx);
        av_packet_free(pkt);
    }
}
