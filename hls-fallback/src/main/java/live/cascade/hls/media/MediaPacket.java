package live.cascade.hls.media;

/**
 * One coded packet on its way to a muxer, with timestamps in ticks of {@code clockRate} (90 000 for video, the sample
 * rate for audio) on the tap's timeline. The array is not shared with any other packet.
 */
public record MediaPacket(byte[] data, long pts, long dts, long duration, int clockRate, boolean keyframe) {
    public long ptsMicros() { return pts * 1_000_000L / clockRate; }

    public long durationMicros() { return duration * 1_000_000L / clockRate; }

    public static long ticks(long micros, int clockRate) { return Math.floorDiv(micros * clockRate, 1_000_000L); }
}
