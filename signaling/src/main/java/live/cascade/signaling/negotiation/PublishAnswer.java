package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;

import live.cascade.signaling.sdp.SdpWriter;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

/**
 * A WHIP answer and what the media plane needs to receive the publisher.
 *
 * @param answer    the SDP answer (ICE-lite, recvonly, complete)
 * @param transport the publisher's ICE credentials and fingerprint, and our DTLS role
 * @param tracks    one per accepted m-section, in m-section order, with the publisher's payload types, SSRCs (0 when
 *                  the offer had none) and header-extension ids
 */
public record PublishAnswer(SessionDescription answer, TransportParameters transport, List<TrackParameters> tracks)
        implements PublishNegotiation {
    public PublishAnswer {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(transport, "transport");
        tracks = List.copyOf(tracks);
    }

    /** The answer as {@code application/sdp} text, CRLF line ends. */
    public String sdp() {
        return SdpWriter.write(answer);
    }
}
