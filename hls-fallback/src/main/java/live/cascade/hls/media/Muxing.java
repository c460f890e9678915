package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/** Shared muxing steps: a stream from a {@link StreamFormat}, and a {@link MediaPacket} written to a stream. */
public final class Muxing {
    private Muxing() {}

    /** Adds a stream to {@code ctx} (before its header is written) described by {@code f}; returns its index. */
    public static int addStream(AVFormatContext ctx, StreamFormat f) {
        AVStream st = avformat_new_stream(ctx, null);
        if (st == null || st.isNull()) throw new FfmpegException("avformat_new_stream failed");
        AVCodecParameters p = st.codecpar();
        p.codec_type(f.video() ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO);
        p.codec_id(f.codecId());
        // hvc1, not FFmpeg's default hev1: Safari and hls.js (MSE) play hvc1; parameter sets then live in the sample
        // description (in-band copies before keyframes are tolerated).
        if (f.codecId() == AV_CODEC_ID_HEVC) p.codec_tag('h' | 'v' << 8 | 'c' << 16 | '1' << 24);
        if (f.video()) {
            p.width(f.width());
            p.height(f.height());
        } else {
            p.sample_rate(f.sampleRate());
            av_channel_layout_default(p.ch_layout(), f.channels());
            p.frame_size(f.frameSize());
        }
        p.bit_rate(f.bitRate());
        byte[] extra = f.extradata();
        if (extra.length > 0) {
            BytePointer e = new BytePointer(av_malloc(extra.length + AV_INPUT_BUFFER_PADDING_SIZE));
            e.capacity(extra.length + AV_INPUT_BUFFER_PADDING_SIZE);
            e.put(extra, 0, extra.length);
            for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; i++) e.put(extra.length + i, (byte) 0);
            p.extradata(e);
            p.extradata_size(extra.length);
        }
        st.time_base(av_make_q(1, f.clockRate()));
        return st.index();
    }

    /**
     * Writes {@code p} to stream {@code index}, its timestamps shifted by {@code -originTicks} (in the packet's clock) and
     * rescaled to the stream's time base. {@code interleave} lets the muxer order packets of several streams.
     */
    public static void write(AVFormatContext ctx, AVPacket pkt, int index, MediaPacket p, long originTicks, boolean interleave) {
        Ffmpeg.check(av_new_packet(pkt, p.data().length), "av_new_packet");
        try {
            pkt.data().put(p.data(), 0, p.data().length);
            AVStream st = ctx.streams(index);
            var from = av_make_q(1, p.clockRate());
            pkt.pts(av_rescale_q(p.pts() - originTicks, from, st.time_base()));
            pkt.dts(av_rescale_q(p.dts() - originTicks, from, st.time_base()));
            pkt.duration(av_rescale_q(p.duration(), from, st.time_base()));
            pkt.stream_index(index);
            if (p.keyframe()) pkt.flags(pkt.flags() | AV_PKT_FLAG_KEY);
            int r = interleave ? av_interleaved_write_frame(ctx, pkt) : av_write_frame(ctx, pkt);
            Ffmpeg.check(r, "write packet");
        } finally {
            av_packet_unref(pkt);
        }
    }
}
