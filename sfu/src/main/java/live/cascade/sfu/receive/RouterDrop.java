package live.cascade.sfu.receive;

/**
 * Why the router did not forward or process something. Counted per router; see
 * {@link live.cascade.sfu.routing.Router#dropCount}. (Named apart from {@link live.cascade.sfu.net.DropReason}, the
 * transport layer's reasons, so the two never meet under one name.)
 */
public enum RouterDrop {
    /** An RTP packet failed header validation. */
    MALFORMED_RTP,
    /** A compound RTCP packet (from either side) failed validation, or one of its packets did. */
    MALFORMED_RTCP,
    /** Publisher RTP whose SSRC matches no track, by SSRC, mid or payload type. */
    UNKNOWN_SSRC,
    /** Publisher RTP on a known SSRC with a payload type other than the track's codec or its RTX. */
    UNKNOWN_PAYLOAD_TYPE,
    /**
     * A publisher RTX packet without an original sequence number: bandwidth-probe padding. It still counts for
     * congestion feedback; there is nothing to forward.
     */
    RTX_PADDING,
    /** A publisher packet (original or retransmission) whose sequence number was already received and forwarded. */
    DUPLICATE_PACKET,
    /** A publisher packet older than the packet history: it can no longer be told apart from a duplicate. */
    TOO_OLD,
    /** An RTP packet larger than {@link live.cascade.sfu.routing.RouterConfig#maxPacketSize()}. */
    PACKET_TOO_LARGE,
    /** A packet from a publisher transport that has been replaced or detached. */
    STALE_PUBLISHER,
    /** A video packet withheld from a viewer that waits for a keyframe (per viewer). */
    NOT_A_KEYFRAME,
    /** A late packet that would map before a viewer's starting point (per viewer). */
    STALE_SEQUENCE,
    /** A viewer NACKed a sequence number we did not send it in the current stream (per sequence number). */
    NACK_UNKNOWN_SEQUENCE,
    /** A viewer NACKed a packet that has left the packet history, or never reached us (per sequence number). */
    NACK_NOT_IN_HISTORY,
    /** A viewer NACKed a packet we retransmitted to it less than a round trip ago (per sequence number). */
    RETRANSMISSION_THROTTLED,
    /**
     * A viewer starting from the cached keyframe fell so far behind that the history no longer holds its next
     * packet; it waits for the publisher's next keyframe instead.
     */
    CATCH_UP_OVERRUN,
    /** RTP arriving from a viewer, which only receives. */
    VIEWER_RTP,
    /** A transport's send threw. */
    SEND_FAILED,
    /** A packet sink threw. */
    SINK_FAILED
}
