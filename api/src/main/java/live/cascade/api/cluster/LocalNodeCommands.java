package live.cascade.api.cluster;

/** The single-node form: a command goes straight to this node's handlers, on the sender's thread. */
public final class LocalNodeCommands implements NodeCommands {
    private final CommandHandlers handlers = new CommandHandlers();

    @Override
    public void subscribe(Handler handler) {
        handlers.add(handler);
    }

    @Override
    public void send(NodeCommand command) {
        handlers.deliver(java.util.Objects.requireNonNull(command, "command"));
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
