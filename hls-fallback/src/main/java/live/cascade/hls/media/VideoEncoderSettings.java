package live.cascade.hls.media;

/**
 * How one ladder rung is encoded.
 *
 * @param encoder      {@code libx264} or {@code h264_nvenc}
 * @param bitRate      target bits per second; the VBV caps peaks at 1.2× over a 2 s buffer
 * @param frameRate    the nominal frame rate (a rate-control hint: timestamps come from the source)
 * @param gopFrames    the encoder's own keyframe interval, kept long: segment boundaries force keyframes
 * @param threads      encoder threads (slice threads with libx264's zero-latency tuning)
 */
public record VideoEncoderSettings(String encoder, int width, int height, long bitRate, int frameRate, int gopFrames,
                                   int threads, String preset) {
}
