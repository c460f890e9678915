package live.cascade.sfu.routing;

/** Events a router reports to its owner, on the media worker thread. Implementations must not block. */
public interface RouterListener {
    /** The first RTP packet from a newly attached publisher was routed: the channel is really live. */
    default void onFirstMedia(String channelId) {}

    /** A keyframe request (PLI or FIR) was just sent to the publisher for the track {@code mid}. */
    default void onKeyframeRequest(String channelId, String mid) {}

    RouterListener NONE = new RouterListener() {};
}
