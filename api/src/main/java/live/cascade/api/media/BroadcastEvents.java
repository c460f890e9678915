package live.cascade.api.media;

import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The broadcast service takes one listener; several parts of the node want its events (the recorder, the ingest
 * metrics). This passes each event to all of them in the order they were added. Listeners are added while the node
 * starts, before any WHIP request can arrive. Called on media worker threads, like its listeners.
 */
public final class BroadcastEvents implements BroadcastListener {
    private final List<BroadcastListener> listeners = new CopyOnWriteArrayList<>();
    private volatile java.util.function.LongPredicate skipLifecycle = id -> false;

    public BroadcastEvents(BroadcastListener first) {
        listeners.add(first);
    }

    /**
     * Channels for which go-live, reconnecting, resumed, end and the viewer count are not passed on (a channel this
     * node relays from its origin: the origin records its broadcast; each viewer's own join and leave still pass).
     */
    public void skipLifecycleOf(java.util.function.LongPredicate channels) {
        this.skipLifecycle = channels;
    }

    public void add(BroadcastListener listener) {
        listeners.add(listener);
    }

    private void each(Consumer<BroadcastListener> event) {
        // The service guards each call, but one listener's failure must not keep the event from the others.
        for (BroadcastListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(BroadcastEvents.class).error("broadcast listener {} failed", l, e);
            }
        }
    }

    @Override public void onLive(ChannelRef channel) { if (!skipLifecycle.test(channel.id())) each(l -> l.onLive(channel)); }

    @Override public void onReconnecting(ChannelRef channel) { if (!skipLifecycle.test(channel.id())) each(l -> l.onReconnecting(channel)); }

    @Override public void onResumed(ChannelRef channel) { if (!skipLifecycle.test(channel.id())) each(l -> l.onResumed(channel)); }

    @Override public void onEnded(ChannelRef channel) { if (!skipLifecycle.test(channel.id())) each(l -> l.onEnded(channel)); }

    @Override public void onViewerJoined(ChannelRef channel, String sessionId) { each(l -> l.onViewerJoined(channel, sessionId)); }

    @Override public void onViewerLeft(ChannelRef channel, String sessionId) { each(l -> l.onViewerLeft(channel, sessionId)); }

    @Override public void onViewerCount(ChannelRef channel, int viewers) { if (!skipLifecycle.test(channel.id())) each(l -> l.onViewerCount(channel, viewers)); }
}
