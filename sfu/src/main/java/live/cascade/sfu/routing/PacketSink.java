package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * An in-process consumer of a router's plain (decrypted) publisher RTP, such as the HLS tap or the recorder.
 * Called on the media worker's thread: implementations must not block, and must copy what they keep.
 */
public interface PacketSink {
    void onRtp(MediaKind kind, byte[] buf, int off, int len);

    /**
     * A sender report from the publisher for its {@code kind} track, as sent: the 64-bit NTP timestamp and the RTP
     * timestamp (unchecked: OBS's first report carries 0xFFFFFFFF). For sinks that synchronise audio and video.
     */
    default void onSenderReport(MediaKind kind, long ntpTimestamp, long rtpTimestamp) {}

    /**
     * Whether this sink also wants every simulcast layer as received ({@link #onLayerRtp}), besides the one continuous
     * stream {@link #onRtp} carries. Asked once, when the sink is added.
     */
    default boolean wantsLayers() { return false; }

    /**
     * A packet of simulcast layer {@code layer} (its position in the publisher's offer order), unmodified: its own
     * SSRC, sequence numbers and timestamps. Only for sinks that {@link #wantsLayers want layers}; same rules as
     * {@link #onRtp}.
     */
    default void onLayerRtp(MediaKind kind, int layer, byte[] buf, int off, int len) {}

    /** A sender report of simulcast layer {@code layer}, as sent (its own RTP timestamps), for sinks that want layers. */
    default void onLayerSenderReport(int layer, long ntpTimestamp, long rtpTimestamp) {}

    /** A publisher (the first, or one continuing the broadcast after a reconnect) was attached: streams restart. */
    default void onPublisherAttached() {}
}
