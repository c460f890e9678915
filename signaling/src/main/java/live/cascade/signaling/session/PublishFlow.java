package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaEngine;
import java.util.List;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.signaling.negotiation.NegotiationFailure;
import live.cascade.signaling.negotiation.PublishAnswer;
import live.cascade.signaling.negotiation.PublishNegotiator;
import live.cascade.signaling.negotiation.PublishPlan;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WHIP POST from offer to answer (request thread): parse, negotiate once into a plan, admit, create the
 * publisher's transport on the channel's lane, write the answer with that transport's credentials and candidates,
 * and hand the session to the {@link BroadcastLifecycle} on the lane.
 */
final class PublishFlow {
    private static final Logger LOG = LoggerFactory.getLogger(PublishFlow.class);

    private final MediaEngine engine;
    private final PublishNegotiator negotiator;
    private final SessionAdmission admission;
    private final AdmissionLimits limits;
    private final SessionRegistry sessions;
    private final BroadcastLifecycle broadcasts;
    private final Refusals refusals;

    PublishFlow(MediaEngine engine, PublishNegotiator negotiator, SessionAdmission admission, AdmissionLimits limits,
                SessionRegistry sessions, BroadcastLifecycle broadcasts, Refusals refusals) {
        this.engine = engine;
        this.negotiator = negotiator;
        this.admission = admission;
        this.limits = limits;
        this.sessions = sessions;
        this.broadcasts = broadcasts;
        this.refusals = refusals;
    }

    PublishResult publish(ChannelRef channel, String offerSdp) {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(offerSdp);
        } catch (SdpParseException e) {
            return refusals.refuse(Refusal.Reason.MALFORMED, "The SDP offer does not parse: " + e.getMessage());
        }
        PublishPlan plan;
        switch (negotiator.plan(offer)) {
            case PublishPlan p -> plan = p;
            case NegotiationFailure f -> {
                return refusals.refuse(Refusal.Reason.UNPROCESSABLE, f.detail());
            }
        }
        SessionAdmission.Ticket ticket;
        switch (admission.admitPublisher()) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return full(d);
            }
        }
        Broadcast running = broadcasts.find(channel.id());
        MediaLane lane = broadcasts.publisherLane(running, channel);
        String id = SessionRegistry.newId();
        SessionEvents events = new SessionEvents(id, ticket, sessions, broadcasts);
        TransportControl transport;
        PublishAnswer answer;
        try {
            transport = Transports.open(lane, plan.transport(), events, ticket);
            answer = plan.answer(Transports.server(engine, transport));
        } catch (RuntimeException e) {
            if (running == null && broadcasts.find(channel.id()) == null) engine.release(BroadcastLifecycle.placementKey(channel));
            throw e;
        }
        MediaSection first = answer.answer().media().getFirst();
        MediaSession session = new MediaSession(id, SessionKind.PUBLISHER, channel, answer.tracks(), first.media(),
                first.mid().orElse("0"), SessionRegistry.newEtag());
        events.startPublisher(session, transport, lane);
        LOG.info("WHIP session {} publishes channel {} ({}), our DTLS role {}", id, channel.slug(),
                BroadcastLifecycle.describe(answer.tracks()), plan.transport().localRole());
        return new SessionCreated(id, session.etag, answer.sdp());
    }

    /**
     * A publisher the node feeds itself (RTMP, SRT): the same admission and broadcast lifecycle as WHIP, with a
     * {@link LocalTransport} in place of ICE/DTLS/SRTP. {@code onClosed} runs on the lane when the session ends, by
     * its own close or by the node (stop, suspension, another publisher, shutdown).
     */
    LocalPublishResult publishLocal(ChannelRef channel, List<TrackParameters> tracks, List<TrackParameters> directTracks,
                                    Runnable onClosed) {
        SessionAdmission.Ticket ticket;
        switch (admission.admitPublisher()) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return full(d);
            }
        }
        ticket.secured(); // nothing left to set up: the slot is no longer pending
        Broadcast running = broadcasts.find(channel.id());
        MediaLane lane = broadcasts.publisherLane(running, channel);
        String id = SessionRegistry.newId();
        SessionEvents events = new SessionEvents(id, ticket, sessions, broadcasts);
        LocalTransport transport = new LocalTransport(id, lane, events, onClosed);
        TrackParameters first = tracks.getFirst();
        MediaSession session = new MediaSession(id, SessionKind.PUBLISHER, channel, tracks,
                first.kind().name().toLowerCase(java.util.Locale.ROOT), first.mid(), SessionRegistry.newEtag());
        session.directTracks = List.copyOf(directTracks);
        Broadcast joined = events.startPublisher(session, transport, lane);
        LOG.info("local session {} publishes channel {} ({})", id, channel.slug(), BroadcastLifecycle.describe(tracks));
        return new LocalPublisher(transport, lane, id, joined);
    }

    private Refusal full(SessionAdmission.Denied d) {
        return refusals.refuse(d.reason(), "This node carries its limit of " + limits.publisherShare()
                + " publishers at once; try again shortly, or publish to another node.");
    }
}
