package live.cascade.hls.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * Loads Bytedeco's FFmpeg (the GPL build, with libx264) once per process and turns its error codes into text. The
 * first load extracts the native libraries to {@code ~/.javacpp/cache} (about 90 MB, a few seconds); later loads
 * take a fraction of a second.
 *
 * <p>FFmpeg's own log goes to stderr, unstructured, and a damaged stream makes decoders print a line per broken
 * macroblock. It is limited to fatal messages by default ({@code -Dcascade.ffmpeg.loglevel=error|warning|info}
 * for more); the tap reports failures itself, once per channel and kind.
 */
public final class Ffmpeg {
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    private static volatile boolean loaded;

    private Ffmpeg() {}

    /** Loads the libraries (idempotent); throws {@link FfmpegException} when they cannot be loaded on this machine. */
    public static void load() {
        if (loaded) return;
        synchronized (Ffmpeg.class) {
            if (loaded) return;
            try {
                Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
                Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
                Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                throw new FfmpegException("cannot load FFmpeg's native libraries: " + e);
            }
            avutil.av_log_set_level(logLevel(System.getProperty("cascade.ffmpeg.loglevel", "fatal")));
            loaded = true;
        }
    }

    private static int logLevel(String name) {
        return switch (name) {
            case "quiet" -> avutil.AV_LOG_QUIET;
            case "error" -> avutil.AV_LOG_ERROR;
            case "warning" -> avutil.AV_LOG_WARNING;
            case "info" -> avutil.AV_LOG_INFO;
            case "verbose" -> avutil.AV_LOG_VERBOSE;
            case "debug" -> avutil.AV_LOG_DEBUG;
            default -> avutil.AV_LOG_FATAL;
        };
    }

    /** FFmpeg's version string, e.g. "8.1.2". */
    public static String version() {
        load();
        return avutil.av_version_info().getString();
    }

    public static String describe(int code) {
        byte[] buf = new byte[256];
        if (av_strerror(code, buf, buf.length) < 0) return "error " + code;
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Returns {@code code} when it is not an error; otherwise throws with the operation's name. */
    public static int check(int code, String operation) {
        if (code < 0) throw new FfmpegException(operation, code);
        return code;
    }

    static boolean isDiskFull(int code) {
        return code == -ENOSPC || code == -EDQUOT;
    }
}
