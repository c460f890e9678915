package live.cascade.api.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which node is a live channel's origin (holds its publisher). The origin claims the channel when its publisher goes
 * live, refreshes the claim every {@link #REFRESH} and releases it when the broadcast ends; a claim not refreshed for
 * {@link #TTL} lapses, so a dead origin frees its channels. Every claim carries a fencing token, the channel's next
 * epoch from a {@link FencingCounter} that only grows (kept in the database, not in Redis), so after a failover the
 * old holder's token is older than the new one's and its refresh fails: a node that lost its claim never gets it back
 * by refreshing; it may only claim again, which succeeds only if nobody else holds the channel.
 *
 * <p>A claim whose holder has left the deployment ({@link HolderLiveness}: gone from the {@link NodeRegistry}, or its
 * announced listener refuses connections) is taken over by the next claimant at once, with a newer token, instead of
 * after the rest of its TTL: a publisher whose origin died republishes to another node without waiting for the dead
 * node's claim to lapse. A holder that is only slow keeps its claim.
 *
 * <p>A seam with an in-process form ({@link LocalChannelPlacement}) and a Redis form ({@code redis.RedisChannelPlacement}).
 */
public interface ChannelPlacement extends AutoCloseable {
    Duration TTL = Duration.ofSeconds(6);
    Duration REFRESH = Duration.ofSeconds(2);

    /** The origin of a channel and the token of its claim. */
    record Holder(String nodeId, long token) {
        public Holder {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** What a claim came to. */
    sealed interface Claim {
        /** This node holds the channel with {@code token} (a new one, or its own current claim again). */
        record Granted(long token) implements Claim {
        }

        /** Another node holds the channel. */
        record HeldElsewhere(Holder holder) implements Claim {
        }

        /** Placement cannot be reached (Redis is down): nothing was decided, so nothing should be ended for it. */
        record Unavailable(String reason) implements Claim {
        }
    }

    /** What a refresh came to. */
    sealed interface Refresh {
        /** The claim still stands, for another {@link #TTL}. */
        record Kept() implements Refresh {
        }

        /** The claim lapsed and nobody took the channel: the holder may claim again (with a new token). */
        record Lapsed() implements Refresh {
        }

        /** Another claim (a newer token) holds the channel: this holder is fenced and must stop acting as origin. */
        record Fenced(Holder holder) implements Refresh {
        }

        /** Placement cannot be reached: keep going, ask again later. */
        record Unavailable(String reason) implements Refresh {
        }
    }

    Claim claim(long channelId, String nodeId);

    Refresh refresh(long channelId, String nodeId, long token);

    /** Gives the channel up if {@code (nodeId, token)} still holds it; does nothing otherwise. */
    void release(long channelId, String nodeId, long token);

    /** The channel's origin, if a claim stands; empty also when placement cannot be reached. */
    Optional<Holder> holder(long channelId);

    @Override
    void close();
}
