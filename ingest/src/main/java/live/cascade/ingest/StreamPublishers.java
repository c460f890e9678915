package live.cascade.ingest;

import live.cascade.signaling.session.ChannelRef;

/** Makes the publisher of one admitted stream. */
@FunctionalInterface
public interface StreamPublishers {
    /**
     * @param connectionThread the connection's own thread, where {@code events} must be told things
     * @param events hears what the creator should be told (B-frames) and when the node ends the publish (stopped,
     *               suspended, replaced): the connection then closes
     */
    StreamPublisher open(ChannelRef channel, PublishEvents events, java.util.concurrent.Executor connectionThread);

    /** What a publisher tells its connection, on the connection's thread. */
    interface PublishEvents {
        /** The stream carries something WebRTC viewers cannot take as sent; {@code detail} says how to fix it. */
        void warning(String code, String detail);

        /** The node ended this publish (stop, suspension, another publisher, shutdown). */
        void ended(String why);

        /** The node cannot take this publish after all (its publishers' share is full): {@code detail} says so. */
        void refused(String detail);

        /**
         * The node will not take this stream as it is ({@code code} says why, e.g. B-frames under
         * {@code --ingest-bframes reject}; {@code detail} says how to fix it): the connection tells the encoder and
         * closes. Counted by the publisher, not as a refusal of the node's own.
         */
        default void rejected(String code, String detail) { refused(detail); }

        /** How the stream arrives, for stream health: {@code rtmp} or {@code rtmps}. */
        default String protocol() { return "rtmp"; }
    }
}
