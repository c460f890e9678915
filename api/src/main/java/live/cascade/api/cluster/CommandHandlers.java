package live.cascade.api.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The handlers of one node, shared by both forms of {@link NodeCommands}: one failing handler is logged and does not
 * keep the command from the others.
 */
public final class CommandHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHandlers.class);
    private final List<NodeCommands.Handler> handlers = new CopyOnWriteArrayList<>();

    public void add(NodeCommands.Handler handler) {
        handlers.add(java.util.Objects.requireNonNull(handler, "handler"));
    }

    public void missedCommands() {
        for (NodeCommands.Handler h : handlers) {
            try {
                h.missedCommands();
            } catch (RuntimeException e) {
                LOG.warn("re-checking after missed node commands failed in {}: {}", h.getClass().getSimpleName(), e.toString());
            }
        }
    }

    public void deliver(NodeCommand command) {
        for (NodeCommands.Handler h : handlers) {
            try {
                h.handle(command);
            } catch (RuntimeException e) {
                LOG.warn("node command {} failed in {}: {}", command, h.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
