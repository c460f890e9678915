package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

/**
 * Where a WHEP viewer of a channel that is not live on this node is served from (issue 21). The api module answers
 * from the cluster's channel placement: the channel's origin is another node, so the viewer is either redirected there
 * (307 to the origin's WHEP URL: the fallback while this node cannot relay) or served here through a relay from the
 * origin that this call opened or reused.
 */
@FunctionalInterface
public interface RemoteOrigins {
    /** A single node: nothing is live anywhere else. */
    RemoteOrigins NONE = channel -> new Placement.NotElsewhere();

    /** What to do with the viewer. */
    sealed interface Placement {
        /** No other node holds the channel: play it here (409 when it is offline here too). */
        record NotElsewhere() implements Placement {
        }

        /** Send the viewer to {@code whepUrl} (absolute) with 307, which keeps the method and the offer. */
        record Redirect(String whepUrl) implements Placement {
        }

        /** A relay from the origin feeds this node's router now: play it here. */
        record Relayed() implements Placement {
        }
    }

    Placement place(ChannelRef channel);

    /**
     * Why this node takes no new session now (it is draining: SIGTERM or an administrator's drain), with where to go
     * instead; empty when it takes them. WHIP answers 503 with it; WHEP is redirected by {@link #place} instead.
     */
    default java.util.Optional<String> closedForNewSessions() {
        return java.util.Optional.empty();
    }

    /**
     * Why a publisher of {@code channel} cannot go live on this node now: another node that is still alive is the
     * channel's origin (another publisher is sending there, or this publisher's previous session there has not ended
     * yet). WHIP answers 503 with {@code Retry-After}. Empty: go ahead (nobody holds it, this node does, or its holder
     * has left the deployment and this node's claim takes the channel over).
     */
    default java.util.Optional<HeldElsewhere> heldElsewhere(ChannelRef channel) {
        return java.util.Optional.empty();
    }

    /** A live channel's origin is another node that is alive: what the publisher is told, and when to try again. */
    record HeldElsewhere(String detail, int retryAfterSeconds) {
        public HeldElsewhere {
            java.util.Objects.requireNonNull(detail, "detail");
            if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
        }
    }

    /**
     * Where a publisher of {@code channel} should go instead of this node (it is over its load, or draining): an
     * absolute WHIP URL carrying a short-lived single-use token that stands in for the stream key there (browsers and
     * curl, which OBS uses, drop Authorization on a redirect to another host). Empty: publish here.
     */
    default java.util.Optional<String> steerPublisher(ChannelRef channel) {
        return java.util.Optional.empty();
    }

    /** The slug a steering token from another node admits a publisher to, once; empty when it is not good here. */
    default java.util.Optional<String> redeemSteering(String token) {
        return java.util.Optional.empty();
    }

    /**
     * Where a viewer of {@code channel} should go instead of this node (it is over its load, and the channel is live
     * here or elsewhere): an absolute WHEP URL of a less loaded node carrying a single-use token, which stands in
     * there for the viewer's access (the redirect dropped its Authorization) and keeps it from being steered again.
     * Empty: serve the viewer here.
     */
    default java.util.Optional<String> steerViewer(ChannelRef channel, boolean liveHere) {
        return java.util.Optional.empty();
    }

    /** The slug a viewer's steering token from another node admits to, once; empty when it is not good here. */
    default java.util.Optional<String> redeemViewerSteering(String token) {
        return java.util.Optional.empty();
    }
}
