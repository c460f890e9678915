package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;

import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

/**
 * A WHEP offer we can serve, negotiated once: what the media plane needs to create the viewer's transport and send
 * to it (SSRCs already chosen). The answer is written by {@link #answer} once that transport exists.
 */
public final class PlaybackPlan implements PlaybackPlanning {
    private final TransportParameters transport;
    private final List<TrackParameters> tracks;
    private final AnswerPlan answer;

    PlaybackPlan(TransportParameters transport, List<TrackParameters> tracks, AnswerPlan answer) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tracks = List.copyOf(tracks);
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    /** The viewer's ICE credentials and fingerprint, and our DTLS role. */
    public TransportParameters transport() { return transport; }

    /** One per filled m-section, in m-section order (see {@link PlaybackAnswer#tracks()}). */
    public List<TrackParameters> tracks() { return tracks; }

    /** The answer, with our side of the transport that will carry the session. */
    public PlaybackAnswer answer(ServerTransport server) {
        return new PlaybackAnswer(answer.write(server), transport, tracks);
    }
}
