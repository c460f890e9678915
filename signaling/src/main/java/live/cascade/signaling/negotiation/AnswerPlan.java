package live.cascade.signaling.negotiation;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SessionDescription;

/**
 * Everything an answer says except our side of the transport: the choices are made, the random ids drawn; only the
 * ICE credentials, fingerprint and candidates of the transport that will carry the session are missing. Writing it
 * twice with the same server transport gives the same answer.
 *
 * @param sections one per offered m-section, in offer order: writes the accepted section, or the declined one
 */
record AnswerPlan(SessionDescription offer, OfferChecks.RemoteTransport remote, List<String> bundle, String sessionId,
                  List<Function<AnswerWriter, MediaSection>> sections) {
    AnswerPlan {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(remote, "remote");
        bundle = List.copyOf(bundle);
        Objects.requireNonNull(sessionId, "sessionId");
        sections = List.copyOf(sections);
    }

    SessionDescription write(ServerTransport server) {
        Objects.requireNonNull(server, "server");
        AnswerWriter writer = new AnswerWriter(offer, server, remote);
        SessionDescription.Builder answer = writer.session(bundle, sessionId);
        for (Function<AnswerWriter, MediaSection> section : sections) answer.media(section.apply(writer));
        return answer.build();
    }
}
