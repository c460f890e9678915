package live.cascade.api.cluster;

/**
 * The command channel between nodes: a {@link NodeCommand} sent on one node is handed to the handlers of every node,
 * the sending one included, and each acts on what it holds. A seam with an in-process form ({@link LocalNodeCommands})
 * and a Redis form ({@code redis.RedisNodeCommands}) chosen by {@code --redis-url}, like the chat bus.
 *
 * <p>The sending node's handlers run before {@link #send} returns and never depend on anything remote; other nodes
 * get the command best-effort (a command sent while Redis is down does not reach them). Nothing relies on a command
 * alone for safety: what a command closes is also refused when it is next used (a chat post re-checks the author's
 * standing, a WHIP offer checks the current key).
 */
public interface NodeCommands extends AutoCloseable {

    /** Acts on a command for this node; called on the channel's own thread, so it must not block for long. */
    @FunctionalInterface
    interface Handler {
        void handle(NodeCommand command);

        /**
         * Commands from other nodes may have been missed (the link between nodes was down and is back): re-check
         * what this node holds against the database. Runs on the channel's own thread.
         */
        default void missedCommands() {
        }
    }

    /** Adds a handler; every handler sees every command, in the order they were added. Add them all before the first send. */
    void subscribe(Handler handler);

    /** Delivers {@code command} to this node's handlers at once, then to the other nodes. */
    void send(NodeCommand command);

    @Override
    void close();
}
