package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

import java.util.Optional;

/**
 * The operator's last word on a publish, asked after the node's own rules (key, suspension, quota) passed and before
 * anything is negotiated: the api module asks a configured URL (the admission hook). It may block for its timeout.
 */
@FunctionalInterface
public interface PublishAdmission {
    /** Every publish the node's own rules allow goes ahead. */
    PublishAdmission OPEN = (channel, clientAddress, source) -> Optional.empty();

    /**
     * Empty to admit, else the refusal.
     *
     * @param clientAddress the publisher's address, or null where the protocol does not hand it on (RTMP)
     * @param source        {@code whip} or {@code rtmp}
     */
    Optional<Refused> check(ChannelRef channel, String clientAddress, String source);

    /**
     * @param status            403, 409, 429 (the hook said no) or 503 (the hook failed and failures close)
     * @param detail            what the publisher is told
     * @param retryAfterSeconds for a Retry-After header; 0 for none
     */
    record Refused(int status, String detail, long retryAfterSeconds) {
    }
}
