package live.cascade.hls.media;

/** An FFmpeg call failed; {@link #code()} is its AVERROR (negative errno or FFmpeg tag). */
public final class FfmpegException extends RuntimeException {
    private final int code;

    public FfmpegException(String operation, int code) {
        super(operation + ": " + Ffmpeg.describe(code) + " (" + code + ")");
        this.code = code;
    }

    public FfmpegException(String message) {
        super(message);
        this.code = 0;
    }

    public int code() { return code; }

    /** True for "no space left on device" and "disk quota exceeded": the disk is full, not the input broken. */
    public boolean diskFull() { return Ffmpeg.isDiskFull(code); }
}
