package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

import java.util.Optional;

/**
 * Whether a channel's owner may start one more broadcast, asked before a WHIP offer is negotiated. The api module
 * answers from the broadcasts recorded live on every node; WHIP turns a refusal into 429.
 */
@FunctionalInterface
public interface PublishQuota {
    /** Nobody is limited. */
    PublishQuota NONE = channel -> Optional.empty();

    /** Empty when the publish may go ahead, else what the publisher should be told (the problem's detail). */
    Optional<String> refusal(ChannelRef channel);
}
