package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

/**
 * One coded frame put back together from RTP: an H.264 access unit in Annex B form (start codes), a VP8 frame, or an
 * Opus packet. The array is owned by whoever holds the frame; nothing else writes to it.
 *
 * @param rtpTimestamp  the extended (unwrapped, 64-bit) RTP timestamp
 * @param keyframe      decodable on its own (H.264 IDR with its parameter sets, VP8 key frame; every Opus packet)
 * @param arrivalNanos  when its last packet arrived ({@link System#nanoTime()})
 */
public record EncodedFrame(MediaKind kind, byte[] data, long rtpTimestamp, boolean keyframe, long arrivalNanos) {
}
