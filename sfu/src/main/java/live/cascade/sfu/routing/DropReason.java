package live.cascade.sfu.routing;

/** Why the router did not forward or process something. Counted per router; see {@link Router#dropCount}. */
public enum DropReason {
    /** An RTP packet failed header validation. */
    MALFORMED_RTP,
    /** A compound RTCP packet (from either side) failed validation, or one of its packets did. */
    MALFORMED_RTCP,
    /** Publisher RTP whose SSRC matches no track, by SSRC, mid or payload type. */
    UNKNOWN_SSRC,
    /** Publisher RTP on a known SSRC with a payload type other than the track's codec. */
    UNKNOWN_PAYLOAD_TYPE,
    /** Publisher retransmissions (RTX); loss recovery is not implemented yet. */
    RTX_NOT_SUPPORTED_YET,
    /** Viewer NACKs (per NACK packet); retransmission from history is not implemented yet. */
    NACK_NOT_SUPPORTED_YET,
    /** An RTP packet larger than {@link RouterConfig#maxPacketSize()}. */
    PACKET_TOO_LARGE,
    /** A packet from a publisher transport that has been replaced or detached. */
    STALE_PUBLISHER,
    /** A video packet withheld from a viewer that waits for a keyframe (per viewer). */
    NOT_A_KEYFRAME,
    /** A late packet that would map before a viewer's starting point (per viewer). */
    STALE_SEQUENCE,
    /** RTP arriving from a viewer, which only receives. */
    VIEWER_RTP,
    /** A transport's send threw. */
    SEND_FAILED,
    /** A packet sink threw. */
    SINK_FAILED
}
