package live.cascade.signaling.session;

/**
 * What the rest of the node hears about broadcasts, to record stream sessions, viewer sessions and live viewer
 * counts. Called on media worker threads: implementations must not block (hand work to their own executor).
 */
public interface BroadcastListener {
    /** The first media of a broadcast arrived: the channel is live. */
    default void onLive(ChannelRef channel) {}

    /** The publisher vanished; the channel waits for it for the grace period. */
    default void onReconnecting(ChannelRef channel) {}

    /** The publisher is back within the grace period, on the same broadcast. */
    default void onResumed(ChannelRef channel) {}

    /** The broadcast ended: grace period over, stopped by its owner, or replaced by one with other codecs. */
    default void onEnded(ChannelRef channel) {}

    default void onViewerJoined(ChannelRef channel, String sessionId) {}

    default void onViewerLeft(ChannelRef channel, String sessionId) {}

    /** The number of connected viewers changed. */
    default void onViewerCount(ChannelRef channel, int viewers) {}
}
