package live.cascade.signaling.negotiation;

import java.util.Objects;

/**
 * An offer we cannot serve as a whole. The HTTP layer answers every reason with {@code 422 Unprocessable Content}
 * and puts {@link #detail()} in the problem body; the detail is written for the person at the client.
 */
public record NegotiationFailure(Reason reason, String detail)
        implements PublishNegotiation, PlaybackNegotiation, PublishPlanning, PlaybackPlanning {
    public enum Reason {
        /** No usable audio or video m-section. */
        NO_MEDIA,
        /** Two audio or two video m-sections. */
        TOO_MANY_TRACKS,
        /** The tracks belong to different MediaStreams (different msid stream ids). */
        MULTIPLE_STREAMS,
        /** A publisher that does not send, or a viewer that does not receive. */
        WRONG_DIRECTION,
        /** An m-section offers no codec we can take (WHIP) or can deliver (WHEP). */
        NO_COMMON_CODEC,
        /** Missing ICE credentials, fingerprint or mid; no BUNDLE or rtcp-mux; a setup or protocol we cannot use. */
        UNSUPPORTED_TRANSPORT,
        /** WHEP: none of the viewer's m-sections matches a track of the stream. */
        NOTHING_TO_PLAY
    }

    public NegotiationFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
