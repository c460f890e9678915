package live.cascade.signaling.session;

import live.cascade.sfu.routing.PacketSink;

/**
 * An in-process consumer of one broadcast's media (the HLS ladder and recorder), made by a {@link BroadcastTapFactory}
 * when the broadcast starts and closed when it ends. It lives as long as the broadcast: a publisher that reconnects
 * within the grace period continues into the same tap (which sees {@link PacketSink#onPublisherAttached()}).
 */
public interface BroadcastTap {
    /** The sink added to the broadcast's router; called on the media worker, so it must never block. */
    PacketSink sink();

    /**
     * The publisher's audio as its encoder sent it, for a publish the node transcodes for WebRTC (RTMP/SRT: AAC, with
     * its AudioSpecificConfig in {@code config}, the same array until it changes). Called on the media worker, in
     * order with the router's packets; {@code rtpTimestamp} is the frame's place on the audio track's RTP clock. The
     * buffers are the caller's again on return.
     */
    default void originalAudio(byte[] config, byte[] frame, int off, int len, long rtpTimestamp) {}

    /**
     * A video frame the router does not carry (RTMP/SRT HEVC, RTMP AV1: for HLS, the recording and restreams only): an
     * HEVC access unit in Annex B with the stream's parameter sets (Annex B) in {@code config}, or an AV1 temporal unit
     * (its OBUs; keyframes carry their sequence header) with the AV1CodecConfigurationRecord in {@code config} (the same
     * array until it changes; the track's codec says which); {@code timestamp} is the decode
     * time at 90 kHz (not wrapped) and {@code composition} the presentation offset in 90 kHz ticks. Called on the media
     * worker, in order with the router's packets; the buffers are the caller's again on return.
     */
    default void directVideo(byte[] config, byte[] frame, int off, int len, long timestamp, int composition, boolean keyframe) {}

    /** The direct video's sender report: {@code timestamp} (its 90 kHz clock) was at {@code ntpTimestamp}. */
    default void directVideoReport(long ntpTimestamp, long timestamp) {}

    /** The broadcast ended. Called on the media worker: must return at once (finish the work elsewhere). */
    void close();
}
