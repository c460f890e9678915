package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;

import live.cascade.signaling.sdp.SdpWriter;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

/**
 * A WHEP answer and what the media plane needs to send to the viewer.
 *
 * @param answer    the SDP answer (ICE-lite, sendonly, complete)
 * @param transport the viewer's ICE credentials and fingerprint, and our DTLS role
 * @param tracks    one per filled m-section, in m-section order: the publisher's codec under the viewer's payload
 *                  types, the SSRCs we chose for this viewer, and the viewer's header-extension ids
 */
public record PlaybackAnswer(SessionDescription answer, TransportParameters transport, List<TrackParameters> tracks)
        implements PlaybackNegotiation {
    public PlaybackAnswer {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(transport, "transport");
        tracks = List.copyOf(tracks);
    }

    /** The answer as {@code application/sdp} text, CRLF line ends. */
    public String sdp() {
        return SdpWriter.write(answer);
    }
}
