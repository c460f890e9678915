package live.cascade.signaling.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's {@link BroadcastListener}, called so that a failure in it is logged and never breaks a broadcast. */
final class GuardedListener implements BroadcastListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final BroadcastListener delegate;

    GuardedListener(BroadcastListener delegate) {
        this.delegate = delegate;
    }

    @Override public void onLive(ChannelRef channel) { safely(() -> delegate.onLive(channel)); }

    @Override public void onReconnecting(ChannelRef channel) { safely(() -> delegate.onReconnecting(channel)); }

    @Override public void onResumed(ChannelRef channel) { safely(() -> delegate.onResumed(channel)); }

    @Override public void onEnded(ChannelRef channel) { safely(() -> delegate.onEnded(channel)); }

    @Override
    public void onViewerJoined(ChannelRef channel, String sessionId) { safely(() -> delegate.onViewerJoined(channel, sessionId)); }

    @Override
    public void onViewerLeft(ChannelRef channel, String sessionId) { safely(() -> delegate.onViewerLeft(channel, sessionId)); }

    @Override
    public void onViewerCount(ChannelRef channel, int viewers) { safely(() -> delegate.onViewerCount(channel, viewers)); }

    static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("broadcast listener failed", e);
        }
    }
}
