package live.cascade.hls.record;

import live.cascade.hls.media.Ffmpeg;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/** What FFmpeg's demuxers say about a media file: duration, codecs, picture size. */
public final class MediaProbe {
    /** @param durationMicros 0 when the container does not say */
    public record Info(long durationMicros, String videoCodec, int width, int height, String audioCodec) {
    }

    private MediaProbe() {}

    public static Info probe(Path file) {
        Ffmpeg.load();
        AVFormatContext ctx = new AVFormatContext(null);
        Ffmpeg.check(avformat_open_input(ctx, file.toString(), null, null), "open " + file);
        try {
            Ffmpeg.check(avformat_find_stream_info(ctx, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "probe " + file);
            String v = null;
            String a = null;
            int w = 0;
            int h = 0;
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVCodecParameters p = ctx.streams(i).codecpar();
                if (p.codec_type() == AVMEDIA_TYPE_VIDEO && v == null) {
                    v = avcodec_get_name(p.codec_id()).getString();
                    w = p.width();
                    h = p.height();
                } else if (p.codec_type() == AVMEDIA_TYPE_AUDIO && a == null) {
                    a = avcodec_get_name(p.codec_id()).getString();
                }
            }
            long d = ctx.duration() == AV_NOPTS_VALUE ? 0 : ctx.duration();
            return new Info(d, v, w, h, a);
        } finally {
            avformat_close_input(ctx);
        }
    }
}
