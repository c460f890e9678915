package live.cascade.api.health;

import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Meters of the channels broadcasting on this node: a channel's are registered when its broadcast goes live and
 * removed when it ends, so the series stay bounded by the channels live here and a scrape never shows one that is
 * gone. Broadcast events arrive on media worker threads, which must not wait on the registry, so (un)registration
 * runs in event order on a thread of its own, which exits when idle (a stopped node leaves no thread behind).
 */
public final class LiveChannelMeters {
    private static final Logger LOG = LoggerFactory.getLogger(LiveChannelMeters.class);

    /** One channel's meters, removable as a whole. */
    public interface Registration {
        void remove(MeterRegistry registry);
    }

    private final String name;
    private final MeterRegistry registry;
    private final Map<Long, Registration> channels = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor registrar;

    /** @param name the meters' family, for the thread's name and the log */
    public LiveChannelMeters(String name, MeterRegistry registry) {
        this.name = name;
        this.registry = registry;
        this.registrar = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name(name + "-metrics").factory());
        registrar.allowCoreThreadTimeOut(true);
    }

    /** The channel went live: its old meters (a restart) go, then {@code register}'s, if it gives any, are kept. */
    public void live(ChannelRef channel, Function<ChannelRef, Optional<Registration>> register) {
        run(() -> {
            remove(channel.id());
            register.apply(channel).ifPresent(r -> channels.put(channel.id(), r));
        });
    }

    public void ended(ChannelRef channel) {
        run(() -> remove(channel.id()));
    }

    /** Whether {@code channelId}'s meters are registered (it is live here). */
    public boolean registered(long channelId) {
        return channels.containsKey(channelId);
    }

    private void remove(long channelId) {
        Registration old = channels.remove(channelId);
        if (old != null) old.remove(registry);
    }

    private void run(Runnable r) {
        try {
            registrar.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} metrics: {}", name, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} metrics: event dropped: {}", name, e.toString());
        }
    }
}
