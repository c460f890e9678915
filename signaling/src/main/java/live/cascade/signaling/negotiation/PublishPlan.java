package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;

import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

/**
 * A WHIP offer we can serve, negotiated once: what the media plane needs to create the publisher's transport and
 * receive its tracks. The answer is written by {@link #answer} once that transport exists and its credentials and
 * candidates are known.
 */
public final class PublishPlan implements PublishPlanning {
    private final TransportParameters transport;
    private final List<TrackParameters> tracks;
    private final AnswerPlan answer;

    PublishPlan(TransportParameters transport, List<TrackParameters> tracks, AnswerPlan answer) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tracks = List.copyOf(tracks);
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    /** The publisher's ICE credentials and fingerprint, and our DTLS role. */
    public TransportParameters transport() { return transport; }

    /** One per accepted m-section, in m-section order (see {@link PublishAnswer#tracks()}). */
    public List<TrackParameters> tracks() { return tracks; }

    /** The answer, with our side of the transport that will carry the session. */
    public PublishAnswer answer(ServerTransport server) {
        return new PublishAnswer(answer.write(server), transport, tracks);
    }
}
