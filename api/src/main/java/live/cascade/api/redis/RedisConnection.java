package live.cascade.api.redis;

import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.SingleServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's Redisson client and what it knows about Redis being reachable. The client connects lazily, so a node
 * starts while Redis is down; a probe every second decides "up" or "down" and, with whether the node's topic
 * subscriptions deliver ({@link CheckedSubscription}), answers {@code /readyz}. Commands fail fast (about a second) while Redis is
 * away, and the Redis forms of the seams check {@link #isUp()} first so a known outage costs nothing per call.
 */
public final class RedisConnection implements ReadinessComponent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);
    static final int DOWN_AFTER_FAILURES = 2;

    private final RedissonClient client;
    private final String namespace;
    private final String address;
    private final ScheduledExecutorService probe;
    private final List<CheckedSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean up;
    private volatile boolean checked;
    private volatile String detail = "not checked yet";
    private volatile long latencyMs;
    /** Failed probes in a row; one alone may be a stalled JVM or a busy machine, not Redis. */
    private int failures;

    private RedisConnection(RedissonClient client, String namespace, String address) {
        this.client = client;
        this.namespace = namespace;
        this.address = address;
        this.probe = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("redis-probe").factory());
    }

    /**
     * Creates the client (no connection yet) and starts probing. {@code url}: redis[s]://[user:password@]host:port[/db];
     * every key and channel name starts with {@code namespace}.
     */
    public static RedisConnection open(String url, String namespace, String clientName) {
        Config cfg = new Config();
        cfg.setLazyInitialization(true);
        cfg.setCodec(StringCodec.INSTANCE);
        // Topic listeners run on these threads; one keeps the bus's events in the order Redis delivered them.
        cfg.setThreads(1);
        cfg.setNettyThreads(2);
        cfg.setTcpKeepAlive(true);
        URI uri = URI.create(url);
        String address = uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
        SingleServerConfig server = cfg.useSingleServer()
                .setAddress(address)
                .setClientName(clientName)
                .setConnectTimeout(1000)
                .setTimeout(1000)
                .setRetryAttempts(1)
                .setRetryDelay(new ConstantDelay(Duration.ofMillis(200)))
                .setReconnectionDelay(new ConstantDelay(Duration.ofMillis(500)))
                .setPingConnectionInterval(1000)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (!user.isEmpty()) server.setUsername(user);
            server.setPassword(password);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) server.setDatabase(Integer.parseInt(path.substring(1)));
        RedisConnection c = new RedisConnection(Redisson.create(cfg), namespace, address);
        c.probe.scheduleWithFixedDelay(c::probeOnce, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    RedissonClient client() {
        return client;
    }

    /** A key or channel name in this deployment's namespace. */
    String key(String suffix) {
        return namespace + ":" + suffix;
    }

    public boolean isUp() {
        return up;
    }

    /**
     * A subscription to {@code topicSuffix} in this deployment's namespace that proves it delivers (see
     * {@link CheckedSubscription}); {@code /readyz} reports it until it has. Not started: call its {@code start()}.
     */
    CheckedSubscription subscription(String topicSuffix, String nodeId, String what, CheckedSubscription.Receiver receiver) {
        return subscription(topicSuffix, nodeId, what, receiver, CheckedSubscription.RECHECK, CheckedSubscription.ECHO_TIMEOUT);
    }

    CheckedSubscription subscription(String topicSuffix, String nodeId, String what, CheckedSubscription.Receiver receiver,
                                     Duration recheck, Duration echoTimeout) {
        CheckedSubscription s = new CheckedSubscription(this, topicSuffix, nodeId, what, receiver, recheck, echoTimeout);
        subscriptions.add(s);
        return s;
    }

    private void probeOnce() {
        long t0 = System.nanoTime();
        boolean ok;
        String why;
        try {
            client.getBucket(key("health"), StringCodec.INSTANCE).isExistsAsync().toCompletableFuture()
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ok = true;
            why = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            ok = false;
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            why = root.getMessage() == null ? root.toString() : root.getMessage();
        }
        latencyMs = (System.nanoTime() - t0) / 1_000_000;
        failures = ok ? 0 : failures + 1;
        // Up at the first answer; down after two failed probes in a row (or at the very first check).
        boolean nowUp = ok || (up && failures < DOWN_AFTER_FAILURES);
        boolean changed = !checked || nowUp != up;
        checked = true;
        up = nowUp;
        detail = why;
        ok = nowUp;
        if (!changed) return;
        if (ok) LOG.info("redis {} is up", address);
        else LOG.warn("redis {} is down: {} (chat stays local to this node until it is back)", address, why);
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Down is "degraded" for the node: chat and rate limits go on per node until Redis is back. */
    @Override
    public Readiness check() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("address", address);
        if (!checked) return new Readiness.Down("Redis at " + address + " has not answered yet.", d);
        if (up) {
            d.put("latencyMs", latencyMs);
            List<String> silent = subscriptions.stream().filter(s -> !s.confirmed()).map(CheckedSubscription::what).toList();
            if (!silent.isEmpty()) {
                return new Readiness.Degraded("Redis answers, but this node's " + String.join(" and ", silent)
                        + " subscription has not delivered its own test message yet; events from other nodes may not arrive "
                        + "until it does (it is renewed every 2 s while silent).", d);
            }
            return new Readiness.Ok("Redis answers.", d);
        }
        return new Readiness.Down("Redis at " + address + " does not answer (" + detail
                + "); chat and rate limits work per node until it is back.", d);
    }

    @Override
    public void close() {
        probe.shutdownNow();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
