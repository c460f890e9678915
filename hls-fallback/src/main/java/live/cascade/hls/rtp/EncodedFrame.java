package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

/**
 * One coded frame put back together from RTP: an H.264 access unit in Annex B form (start codes), a VP8 frame, or an
 * Opus packet. The array is owned by whoever holds the frame; nothing else writes to it.
 *
 * @param rtpTimestamp  the extended (unwrapped, 64-bit) RTP timestamp
 * @param keyframe      decodable on its own (H.264 IDR with its parameter sets, VP8 key frame; every Opus packet)
 * @param arrivalNanos  when its last packet arrived ({@link System#nanoTime()})
 * @param composition   presentation minus decode time in clock ticks: 0 for frames from RTP (which carries presentation
 *                      times only, {@code rtpTimestamp} is then the presentation time); for direct video with B-frames
 *                      (RTMP/SRT HEVC) {@code rtpTimestamp} is the decode time and this the offset to its presentation
 */
public record EncodedFrame(MediaKind kind, byte[] data, long rtpTimestamp, boolean keyframe, long arrivalNanos, int composition) {
    public EncodedFrame(MediaKind kind, byte[] data, long rtpTimestamp, boolean keyframe, long arrivalNanos) {
        this(kind, data, rtpTimestamp, keyframe, arrivalNanos, 0);
    }
}
