package live.cascade.api.chat;

import java.util.Objects;

/** The single-node bus: an event goes straight to this node's listener. */
public final class LocalChatBus implements ChatBus {
    private volatile Listener listener;

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void publish(ChatEvent event) {
        Listener l = listener;
        if (l == null) throw new IllegalStateException("bus not started");
        l.onEvent(event);
    }

    @Override
    public void close() {
        listener = null;
    }
}
