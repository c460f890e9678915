package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Scales decoded pictures to one fixed output size and pixel format. The input may change size mid-stream (a
 * publisher that adapts its resolution, or reconnects with another); the output never does, so encoders and players
 * downstream see one stream. Bilinear: a fraction of bicubic's cost and indistinguishable at ladder sizes.
 */
public final class VideoScaler implements AutoCloseable {
    private final int width;
    private final int height;
    private final int format;
    private final AVFrame out = av_frame_alloc();
    private SwsContext sws;

    public VideoScaler(int width, int height, int pixelFormat) {
        Ffmpeg.load();
        this.width = width;
        this.height = height;
        this.format = pixelFormat;
        out.width(width);
        out.height(height);
        out.format(pixelFormat);
        Ffmpeg.check(av_frame_get_buffer(out, 0), "av_frame_get_buffer");
    }

    /** The scaled picture; valid until the next call. Encoders that keep a reference get a copy on the next write. */
    public AVFrame scale(AVFrame in) {
        sws = sws_getCachedContext(sws, in.width(), in.height(), in.format(), width, height, format, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) throw new FfmpegException("no scaler from " + in.width() + "x" + in.height() + " format " + in.format());
        Ffmpeg.check(av_frame_make_writable(out), "av_frame_make_writable");
        sws_scale(sws, in.data(), in.linesize(), 0, in.height(), out.data(), out.linesize());
        return out;
    }

    public int width() { return width; }

    public int height() { return height; }

    @Override
    public void close() {
        if (sws != null) sws_freeContext(sws);
        av_frame_free(out);
    }
}
