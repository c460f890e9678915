package live.cascade.signaling.session;

/** A snapshot of one channel's broadcast on this node. */
public record BroadcastState(ChannelRef channel, Phase phase, int viewers) {
    public enum Phase {
        /** A publisher is negotiated but no media has arrived yet. */
        STARTING,
        /** Media is flowing. */
        LIVE,
        /** The publisher vanished; waiting for it within the grace period. */
        RECONNECTING
    }
}
