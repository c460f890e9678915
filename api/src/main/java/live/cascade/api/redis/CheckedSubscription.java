package live.cascade.api.redis;

import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscription to one Redis pub/sub topic that proves it delivers: it publishes a test message of its own on the
 * topic and expects it back, right after subscribing, after every reconnection and every few seconds besides.
 *
 * <p>Why: Redisson renews a topic's subscription after a reconnection by itself, and a subscription can still end up
 * silent, with Redis up and every call succeeding (a renewal racing an unsubscribe, or one made on a connection that
 * no longer delivers; a CI run had a node hear nothing from the other for 15 s after Redis came back). A node that
 * only believes it is subscribed loses every other node's events without a word. Here a test message that does not
 * come back within {@link #ECHO_TIMEOUT} renews the subscription, and until one comes back {@link #confirmed()} is
 * false, which {@code /readyz} reports.
 *
 * <p>{@link Receiver#onGap} is called once the subscription is proven again after Redis was down or the subscription
 * was found silent: what other nodes published meanwhile never arrived. Test messages start with {@code echo:} and are
 * never handed to the receiver (callers' payloads are JSON objects); other nodes' test messages are ignored.
 */
final class CheckedSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedSubscription.class);
    static final Duration RECHECK = Duration.ofSeconds(5);
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(2);
    private static final String ECHO = "echo:";
    private static final long TICK_MILLIS = 250;

    interface Receiver {
        /** A message published by any node (this one's too: callers skip their own); on Redisson's listener thread. */
        void onMessage(String text);

        /** The subscription is proven again after a time in which messages may have been lost; on this class's thread. */
        void onGap(String why);

        static Receiver of(java.util.function.Consumer<String> onMessage, java.util.function.Consumer<String> onGap) {
            return new Receiver() {
                @Override
                public void onMessage(String text) {
                    onMessage.accept(text);
                }

                @Override
                public void onGap(String why) {
                    onGap.accept(why);
                }
            };
        }
    }

    private final RedisConnection redis;
    private final RTopic topic;
    private final String what;
    private final String echoPrefix;
    private final Receiver receiver;
    private final long recheckNanos;
    private final long timeoutNanos;
    private final ScheduledExecutorService thread;
    private final AtomicLong renewals = new AtomicLong();
    private volatile boolean confirmed;
    private volatile boolean closed;
    private volatile String pendingEcho;
    // The fields below belong to the subscription's thread.
    private int listenerId = -1;
    private long echoSeq;
    private long pendingSince;
    private long confirmedAt;
    private boolean wasDown;
    private boolean warned;
    private String owedGap;

    CheckedSubscription(RedisConnection redis, String topicSuffix, String nodeId, String what, Receiver receiver,
                        Duration recheck, Duration echoTimeout) {
        this.redis = redis;
        this.topic = redis.client().getTopic(redis.key(topicSuffix), StringCodec.INSTANCE);
        this.what = what;
        this.echoPrefix = ECHO + Objects.requireNonNull(nodeId, "nodeId") + ":";
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.recheckNanos = recheck.toNanos();
        this.timeoutNanos = echoTimeout.toNanos();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("redis-" + what.replace(' ', '-')).factory());
    }

    void start() {
        thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether a test message came back since the subscription was last made or found silent. */
    boolean confirmed() {
        return confirmed;
    }

    /** What this subscription carries, for logs and {@code /readyz}: "chat bus", "node commands". */
    String what() {
        return what;
    }

    /** How often a silent subscription was renewed (Redis answering, the test message not coming back). */
    long renewals() {
        return renewals.get();
    }

    /** Publishes {@code text} (never one starting with {@code echo:}); completes with the number of receivers. */
    java.util.concurrent.CompletionStage<Long> publishAsync(String text) {
        return topic.publishAsync(text);
    }

    private void tick() {
        if (closed) return;
        long now = System.nanoTime();
        if (!redis.isUp()) {
            if (listenerId >= 0 && !wasDown) {
                wasDown = true;
                owedGap = "the link between nodes was down; messages from other nodes may be missing";
            }
            confirmed = false;
            pendingEcho = null;
            return;
        }
        if (listenerId < 0 && !subscribe()) return;
        if (wasDown) {
            // Redisson renews the subscription after its reconnection; the test message below shows whether it did.
            wasDown = false;
            sendEcho(now);
            return;
        }
        if (pendingEcho != null) {
            if (now - pendingSince < timeoutNanos) return;
            if (!warned) {
                LOG.warn("{}: the subscription to {} did not deliver this node's test message within {} ms although Redis "
                        + "answers; renewing it", what, topic.getChannelNames(), timeoutNanos / 1_000_000);
                warned = true;
            }
            if (owedGap == null) owedGap = "the link between nodes was silent; messages from other nodes may be missing";
            confirmed = false;
            renewals.incrementAndGet();
            renew();
            if (listenerId >= 0) sendEcho(now);
            return;
        }
        if (!confirmed || now - confirmedAt >= recheckNanos) sendEcho(now);
    }

    private boolean subscribe() {
        try {
            listenerId = topic.addListener(String.class, (channel, text) -> onRaw(text));
            LOG.info("{} subscribed to redis topic {}", what, topic.getChannelNames());
            return true;
        } catch (RuntimeException e) {
            LOG.debug("{} could not subscribe yet: {}", what, e.toString());
            return false;
        }
    }

    private void renew() {
        int old = listenerId;
        listenerId = -1;
        try {
            topic.removeListener(old);
        } catch (RuntimeException e) {
            LOG.debug("{}: removing the silent subscription failed: {}", what, e.toString());
        }
        subscribe();
    }

    private void sendEcho(long now) {
        String token = echoPrefix + (++echoSeq);
        pendingSince = now;
        pendingEcho = token;
        topic.publishAsync(token);
    }

    private void onRaw(String text) {
        if (!text.startsWith(ECHO)) {
            receiver.onMessage(text);
            return;
        }
        if (!text.equals(pendingEcho)) return; // another node's, or one already given up on
        try {
            thread.execute(() -> echoed(text));
        } catch (RejectedExecutionException closing) {
            LOG.debug("{}: test message back while closing", what);
        }
    }

    private void echoed(String token) {
        if (closed || !token.equals(pendingEcho)) return;
        pendingEcho = null;
        confirmedAt = System.nanoTime();
        if (!confirmed && warned) LOG.info("{}: the subscription to {} delivers again", what, topic.getChannelNames());
        warned = false;
        confirmed = true;
        String gap = owedGap;
        owedGap = null;
        if (gap != null) receiver.onGap(gap);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int id = listenerId;
        if (id >= 0 && redis.isUp()) {
            try {
                topic.removeListener(id);
            } catch (RuntimeException e) {
                LOG.debug("{} unsubscribe failed: {}", what, e.toString());
            }
        }
    }
}
