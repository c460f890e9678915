package live.cascade.api.chat;

/**
 * Carries chat events to every node, the publishing one included. A seam with an in-process form
 * ({@link LocalChatBus}) and a Redis form ({@code redis.RedisChatBus}) chosen by {@code --redis-url}.
 *
 * <p>Delivery on the publishing node never depends on anything remote: a bus delivers there first and then tries to
 * reach the others, so chat on one node keeps working while the link between nodes is down.
 */
public interface ChatBus extends AutoCloseable {

    /** Receives events; called from the bus's own threads, so it must hand work off rather than block. */
    interface Listener {
        void onEvent(ChatEvent event);

        /** Events from other nodes may have been lost (the link was down and is back); clients should resync. */
        void onGap(String reason);
    }

    /** Starts delivering to {@code listener}; called once, before the first publish. */
    void start(Listener listener);

    void publish(ChatEvent event);

    @Override
    void close();
}
