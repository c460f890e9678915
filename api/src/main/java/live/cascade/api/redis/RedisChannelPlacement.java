package live.cascade.api.redis;

import live.cascade.api.cluster.ChannelPlacement;
import live.cascade.api.cluster.FencingCounter;
import live.cascade.api.cluster.HolderLiveness;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Placement in Redis, after OvenMediaEngine's {@code SET app/stream … EX 10 NX}: one key per live channel,
 * {@code <namespace>:placement:<channel>}, holding {@code "<node> <token>"} with a time to live of the claim's TTL.
 * A claim takes the channel's next token from the {@link FencingCounter} (the database) and sets the key only if it
 * is absent; refresh and release are scripts that act only when the key still holds exactly this node and token, so a
 * fenced holder can neither extend nor delete its successor's claim. A claim whose holder {@link HolderLiveness} says
 * is gone is taken over before it lapses: a script replaces exactly that holder's value (not one that claimed
 * meanwhile) with the claimant's, under a token newer than any before. Redis restarting empty loses the claims
 * (origins re-claim at their next refresh, with new tokens) but never the counter.
 */
public final class RedisChannelPlacement implements ChannelPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChannelPlacement.class);
    private static final String REFRESH_SCRIPT = """
            local v = redis.call('GET', KEYS[1])
            if not v then return '' end
            if v == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 'kept'
            end
            return v""";
    private static final String CLAIM_SCRIPT = """
            local v = redis.call('GET', KEYS[1])
            if v then return v end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return ARGV[1]""";
    /** ARGV[1]: the gone holder's value; replaced only if it is still there (or nobody holds the channel now). */
    private static final String TAKEOVER_SCRIPT = """
            local v = redis.call('GET', KEYS[1])
            if v and v ~= ARGV[1] then return v end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return ARGV[2]""";
    private static final String RELEASE_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisConnection redis;
    private final FencingCounter counter;
    private final Duration ttl;
    private final HolderLiveness liveness;

    /** Claims change hands only when they lapse or are released. */
    public RedisChannelPlacement(RedisConnection redis, FencingCounter counter, Duration ttl) {
        this(redis, counter, ttl, HolderLiveness.NEVER);
    }

    public RedisChannelPlacement(RedisConnection redis, FencingCounter counter, Duration ttl, HolderLiveness liveness) {
        this.redis = redis;
        this.counter = counter;
        this.ttl = ttl;
        this.liveness = liveness;
    }

    private String key(long channelId) {
        return redis.key("placement:" + channelId);
    }

    private static String value(String nodeId, long token) {
        if (nodeId.indexOf(' ') >= 0) throw new IllegalArgumentException("node id with a space: " + nodeId);
        return nodeId + " " + token;
    }

    private static Holder parse(String v) {
        int sp = v.lastIndexOf(' ');
        return new Holder(v.substring(0, sp), Long.parseLong(v.substring(sp + 1)));
    }

    private String eval(String script, long channelId, String... args) {
        Object[] values = new Object[args.length];
        System.arraycopy(args, 0, values, 0, args.length);
        Object r = redis.client().getScript(StringCodec.INSTANCE)
                .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.VALUE, List.of(key(channelId)), values);
        return r == null ? "" : r.toString();
    }

    @Override
    public Claim claim(long channelId, String nodeId) {
        if (!redis.isUp()) return new Claim.Unavailable("redis is down");
        try {
            Optional<Holder> current = holder(channelId);
            if (current.isPresent()) {
                Holder h = current.get();
                if (!h.nodeId().equals(nodeId)) return liveness.gone(h.nodeId()) ? takeOver(channelId, nodeId, h) : new Claim.HeldElsewhere(h);
                // Our own claim: keep its token, extend it.
                if (refresh(channelId, nodeId, h.token()) instanceof Refresh.Kept) return new Claim.Granted(h.token());
            }
            long token = counter.next(channelId);
            String mine = value(nodeId, token);
            String now = eval(CLAIM_SCRIPT, channelId, mine, Long.toString(ttl.toMillis()));
            if (now.equals(mine)) return new Claim.Granted(token);
            return new Claim.HeldElsewhere(parse(now));
        } catch (RuntimeException e) {
            LOG.debug("placement: claiming channel {} failed: {}", channelId, e.toString());
            return new Claim.Unavailable(e.toString());
        }
    }

    private Claim takeOver(long channelId, String nodeId, Holder gone) {
        long token = counter.next(channelId);
        String mine = value(nodeId, token);
        String now = eval(TAKEOVER_SCRIPT, channelId, value(gone.nodeId(), gone.token()), mine, Long.toString(ttl.toMillis()));
        if (!now.equals(mine)) return new Claim.HeldElsewhere(parse(now));
        LOG.info("placement: channel {} taken over from node {} (token {}), which has left the deployment; token {}",
                channelId, gone.nodeId(), gone.token(), token);
        return new Claim.Granted(token);
    }

    @Override
    public Refresh refresh(long channelId, String nodeId, long token) {
        if (!redis.isUp()) return new Refresh.Unavailable("redis is down");
        try {
            String r = eval(REFRESH_SCRIPT, channelId, value(nodeId, token), Long.toString(ttl.toMillis()));
            if (r.isEmpty()) return new Refresh.Lapsed();
            if (r.equals("kept")) return new Refresh.Kept();
            return new Refresh.Fenced(parse(r));
        } catch (RuntimeException e) {
            LOG.debug("placement: refreshing channel {} failed: {}", channelId, e.toString());
            return new Refresh.Unavailable(e.toString());
        }
    }

    @Override
    public void release(long channelId, String nodeId, long token) {
        if (!redis.isUp()) return;
        try {
            eval(RELEASE_SCRIPT, channelId, value(nodeId, token));
        } catch (RuntimeException e) {
            LOG.debug("placement: releasing channel {} failed: {}", channelId, e.toString());
        }
    }

    @Override
    public Optional<Holder> holder(long channelId) {
        if (!redis.isUp()) return Optional.empty();
        try {
            Object v = redis.client().getBucket(key(channelId), StringCodec.INSTANCE).get();
            return v == null ? Optional.empty() : Optional.of(parse(v.toString()));
        } catch (RuntimeException e) {
            LOG.debug("placement: reading channel {} failed: {}", channelId, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        // Claims are released by their broadcasts' ends; the connection is the cluster's.
    }
}
