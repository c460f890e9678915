package live.cascade.api.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.cluster.CommandHandlers;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.Json;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command channel between nodes through one Redis pub/sub topic. A command runs on this node's handlers first,
 * directly, and is published for the others in an envelope naming the sender (which skips its own echo). Received
 * commands are handled on a thread of their own, never on Redisson's, because handlers read the database.
 *
 * <p>Commands are idempotent (closing what is already closed does nothing), so a duplicate is harmless; a command
 * published while Redis is down is not queued (it is counted and logged): what it would have closed is refused at its
 * next use anyway, and when Redis is back every node's handlers re-check what they hold
 * ({@link Handler#missedCommands()}).
 */
public final class RedisNodeCommands implements NodeCommands {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeCommands.class);
    static final String TOPIC = "node:commands";

    record Envelope(String node, NodeCommand command) {
    }

    private final RedisConnection redis;
    private final String nodeId;
    private final RTopic topic;
    private final CommandHandlers handlers = new CommandHandlers();
    private final ExecutorService worker;
    private final ScheduledExecutorService subscriber;
    private final AtomicLong notPublished = new AtomicLong();
    private volatile int listenerId = -1;
    private volatile boolean wasDown;
    private volatile boolean closed;

    public RedisNodeCommands(RedisConnection redis, String nodeId) {
        this.redis = redis;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.topic = redis.client().getTopic(redis.key(TOPIC), StringCodec.INSTANCE);
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("node-commands").factory());
        this.subscriber = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("redis-commands-subscriber").factory());
        // A lost subscription (Redis restarted) is renewed within a second; Redisson's own resubscription is slower.
        redis.onChange(up -> subscriber.execute(() -> redisChanged(up)));
        subscriber.scheduleWithFixedDelay(this::ensureSubscribed, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void subscribe(Handler handler) {
        handlers.add(handler);
    }

    @Override
    public void send(NodeCommand command) {
        Objects.requireNonNull(command, "command");
        handlers.deliver(command);
        if (!redis.isUp()) {
            notPublished.incrementAndGet();
            LOG.warn("node command {} not sent to other nodes: redis is down", command);
            return;
        }
        String text;
        try {
            text = Json.MAPPER.writeValueAsString(new Envelope(nodeId, command));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize node command " + command, e);
        }
        topic.publishAsync(text).whenComplete((receivers, error) -> {
            if (error != null) {
                notPublished.incrementAndGet();
                LOG.warn("node command {} not sent to other nodes: {}", command, error.toString());
            }
        });
    }

    /** Commands this node could not hand to Redis. */
    public long notPublished() {
        return notPublished.get();
    }

    private void onMessage(CharSequence channel, String text) {
        Envelope e;
        try {
            e = Json.MAPPER.readValue(text, Envelope.class);
        } catch (JsonProcessingException ex) {
            LOG.warn("ignoring an unreadable node command from redis: {}", ex.getOriginalMessage());
            return;
        }
        if (nodeId.equals(e.node()) || e.command() == null) return;
        try {
            worker.execute(() -> handlers.deliver(e.command()));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("node command {} arrived while closing", e.command());
        }
    }

    private void ensureSubscribed() {
        if (closed || listenerId >= 0 || !redis.isUp()) return;
        try {
            listenerId = topic.addListener(String.class, this::onMessage);
            LOG.info("node commands subscribed to redis topic {}", redis.key(TOPIC));
        } catch (RuntimeException e) {
            LOG.debug("node commands could not subscribe yet: {}", e.toString());
        }
    }

    private void redisChanged(boolean up) {
        if (closed) return;
        if (!up) {
            wasDown = true;
            return;
        }
        int old = listenerId;
        if (!wasDown || old < 0) {
            ensureSubscribed();
            return;
        }
        wasDown = false;
        listenerId = -1;
        try {
            topic.removeListener(old);
        } catch (RuntimeException e) {
            LOG.debug("removing the old node command subscription failed: {}", e.toString());
        }
        ensureSubscribed();
        // What other nodes revoked meanwhile never arrived: each handler re-checks what it holds.
        LOG.info("redis is back: re-checking open chat sockets for revocations missed while it was down");
        try {
            worker.execute(handlers::missedCommands);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("not re-checking: closing");
        }
    }

    @Override
    public void close() {
        closed = true;
        subscriber.shutdownNow();
        worker.shutdown();
        int id = listenerId;
        if (id >= 0 && redis.isUp()) {
            try {
                topic.removeListener(id);
            } catch (RuntimeException e) {
                LOG.debug("node commands unsubscribe failed: {}", e.toString());
            }
        }
    }
}
