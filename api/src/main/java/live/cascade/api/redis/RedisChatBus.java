package live.cascade.api.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.chat.ChatBus;
import live.cascade.api.chat.ChatEvent;
import live.cascade.api.chat.ServerFrame;
import live.cascade.api.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat bus between nodes: one Redis topic for all channels, each message an envelope with the publishing node's
 * id (to skip our own echo), a per-node sequence number (to drop a duplicate that a resubscription might bring) and
 * the frame. An event reaches this node's sockets first, directly, and Redis only for the other nodes: so local
 * chat never waits for or depends on Redis.
 *
 * <p>While Redis is down, publishing to it is skipped (not queued: the messages are in the database, and clients
 * resync when told to). The subscription proves itself ({@link CheckedSubscription}); once it delivers again after
 * Redis was down or it was found silent, local sockets get a {@code resync} frame because they may have missed other
 * nodes' events.
 */
public final class RedisChatBus implements ChatBus {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChatBus.class);
    static final String TOPIC = "chat:events";
    /** Publishes waiting for Redis's answer; beyond this a stalled Redis would hold memory, so further ones are dropped. */
    static final int MAX_IN_FLIGHT = 10_000;

    record Envelope(String node, long seq, long channelId, ServerFrame frame) {
    }

    private final RedisConnection redis;
    private final String nodeId;
    private final CheckedSubscription subscription;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final ConcurrentHashMap<String, RecentSequences> seen = new ConcurrentHashMap<>();
    private volatile Listener listener;

    public RedisChatBus(RedisConnection redis, String nodeId) {
        this.redis = redis;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.subscription = redis.subscription(TOPIC, nodeId, "chat bus", CheckedSubscription.Receiver.of(this::onMessage, why -> {
            Listener l = listener;
            if (l != null) l.onGap(why);
        }));
    }

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        subscription.start();
    }

    @Override
    public void publish(ChatEvent event) {
        Listener l = listener;
        if (l == null) throw new IllegalStateException("bus not started");
        l.onEvent(event);
        if (!redis.isUp()) {
            dropped.incrementAndGet();
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        String text;
        try {
            text = Json.MAPPER.writeValueAsString(new Envelope(nodeId, seq.incrementAndGet(), event.channelId(), event.frame()));
        } catch (JsonProcessingException e) {
            inFlight.decrementAndGet();
            throw new IllegalStateException("cannot serialize chat event", e);
        }
        subscription.publishAsync(text).whenComplete((receivers, error) -> {
            inFlight.decrementAndGet();
            if (error != null) {
                dropped.incrementAndGet();
                LOG.debug("chat event not published to redis: {}", error.toString());
            }
        });
    }

    /** Events this node could not hand to Redis (it was down or stalled); other nodes' clients resync for them. */
    public long dropped() {
        return dropped.get();
    }

    private void onMessage(String text) {
        Envelope e;
        try {
            e = Json.MAPPER.readValue(text, Envelope.class);
        } catch (JsonProcessingException ex) {
            LOG.warn("ignoring an unreadable chat event from redis: {}", ex.getOriginalMessage());
            return;
        }
        if (nodeId.equals(e.node())) return;
        if (!seen.computeIfAbsent(e.node(), n -> new RecentSequences()).firstTime(e.seq())) return;
        Listener l = listener;
        if (l != null && e.frame() != null) l.onEvent(new ChatEvent(e.channelId(), e.frame()));
    }

    @Override
    public void close() {
        subscription.close();
    }

    /** Which of a node's recent sequence numbers arrived already: a window of the last 4096. */
    static final class RecentSequences {
        private static final int WINDOW = 4096;
        private final BitSet bits = new BitSet(WINDOW);
        private long max;

        synchronized boolean firstTime(long seq) {
            if (seq > max) {
                for (long s = Math.max(max + 1, seq - WINDOW + 1); s <= seq; s++) bits.clear((int) (s % WINDOW));
                max = seq;
                bits.set((int) (seq % WINDOW));
                return true;
            }
            if (seq <= max - WINDOW) return false;
            int i = (int) (seq % WINDOW);
            if (bits.get(i)) return false;
            bits.set(i);
            return true;
        }
    }
}
