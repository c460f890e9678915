package live.cascade.api.webhooks;

import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broadcast events webhooks hear: {@code stream.started}, {@code stream.ended}, and {@code viewer.milestone} when a
 * live channel's viewers first reach 10, 100, 1 000, 10 000 or 100 000 in a broadcast.
 */
public final class WebhookEvents implements BroadcastListener {
    static final int[] MILESTONES = {10, 100, 1_000, 10_000, 100_000};
    private final WebhookDispatcher dispatcher;
    private final Map<Long, Integer> reached = new ConcurrentHashMap<>();

    public WebhookEvents(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void onLive(ChannelRef channel) {
        reached.remove(channel.id());
        dispatcher.publish("stream.started", channel.id(), Map.of("channel", channel.slug(), "channelId", channel.id()));
    }

    @Override
    public void onEnded(ChannelRef channel) {
        reached.remove(channel.id());
        dispatcher.publish("stream.ended", channel.id(), Map.of("channel", channel.slug(), "channelId", channel.id()));
    }

    @Override
    public void onViewerCount(ChannelRef channel, int viewers) {
        int milestone = 0;
        for (int m : MILESTONES) if (viewers >= m) milestone = m;
        if (milestone == 0) return;
        int passed = milestone;
        Integer before = reached.get(channel.id());
        if (before != null && before >= passed) return;
        reached.put(channel.id(), passed);
        dispatcher.publish("viewer.milestone", channel.id(), Map.of("channel", channel.slug(), "channelId", channel.id(), "viewers", passed));
    }
}
