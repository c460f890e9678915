package live.cascade.api.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.cluster.CommandHandlers;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command channel between nodes through one Redis pub/sub topic. A command runs on this node's handlers first,
 * directly, and is published for the others in an envelope naming the sender (which skips its own echo). Received
 * commands are handled on a thread of their own, never on Redisson's, because handlers read the database.
 *
 * <p>Commands are idempotent (closing what is already closed does nothing), so a duplicate is harmless; a command
 * published while Redis is down is not queued (it is counted and logged): what it would have closed is refused at its
 * next use anyway, and once the subscription delivers again after Redis was down or it was found silent
 * ({@link CheckedSubscription}), every node's handlers re-check what they hold ({@link Handler#missedCommands()}).
 */
public final class RedisNodeCommands implements NodeCommands {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeCommands.class);
    static final String TOPIC = "node:commands";

    record Envelope(String node, NodeCommand command) {
    }

    private final RedisConnection redis;
    private final String nodeId;
    private final CheckedSubscription subscription;
    private final CommandHandlers handlers = new CommandHandlers();
    private final ExecutorService worker;
    private final AtomicLong notPublished = new AtomicLong();

    public RedisNodeCommands(RedisConnection redis, String nodeId) {
        this.redis = redis;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("node-commands").factory());
        this.subscription = redis.subscription(TOPIC, nodeId, "node commands",
                CheckedSubscription.Receiver.of(this::onMessage, why -> missedCommands()));
        subscription.start();
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
        subscription.publishAsync(text).whenComplete((receivers, error) -> {
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

    private void onMessage(String text) {
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

    /** What other nodes revoked while the link was down or silent never arrived: each handler re-checks what it holds. */
    private void missedCommands() {
        LOG.info("the link to other nodes is back: re-checking open chat sockets for revocations missed meanwhile");
        try {
            worker.execute(handlers::missedCommands);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("not re-checking: closing");
        }
    }

    @Override
    public void close() {
        subscription.close();
        worker.shutdown();
    }
}
