package live.cascade.signaling.session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;
import live.cascade.signaling.negotiation.RelayAnswer;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pulling node's side of a relay, once the origin answered our {@link live.cascade.signaling.negotiation.RelayOffer}
 * (request thread): read the answer, admit a publisher, open the controlling transport on the channel's lane with the
 * credentials the offer carried, and attach it to the channel's broadcast as its publisher.
 */
final class RelayFlow {
    private static final Logger LOG = LoggerFactory.getLogger(RelayFlow.class);

    private final MediaEngine engine;
    private final SessionAdmission admission;
    private final AdmissionLimits limits;
    private final SessionRegistry sessions;
    private final BroadcastLifecycle broadcasts;
    private final Refusals refusals;

    RelayFlow(MediaEngine engine, SessionAdmission admission, AdmissionLimits limits, SessionRegistry sessions,
              BroadcastLifecycle broadcasts, Refusals refusals) {
        this.engine = engine;
        this.admission = admission;
        this.limits = limits;
        this.sessions = sessions;
        this.broadcasts = broadcasts;
        this.refusals = refusals;
    }

    RelayPublishResult pull(ChannelRef channel, IceParameters localIce, String answerSdp, Duration consentTimeout) {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(answerSdp);
        } catch (SdpParseException e) {
            return refusals.refuse(Refusal.Reason.MALFORMED, "The origin's SDP answer does not parse: " + e.getMessage());
        }
        RelayAnswer answer;
        switch (RelayAnswer.read(parsed)) {
            case RelayAnswer.Read r -> answer = r.answer();
            case RelayAnswer.Failed f -> {
                return refusals.refuse(Refusal.Reason.UNPROCESSABLE, f.failure().detail());
            }
        }
        SessionAdmission.Ticket ticket;
        switch (admission.admitPublisher()) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return refusals.refuse(d.reason(), "This node carries its limit of " + limits.publisherShare()
                        + " publishers (relays included) at once.");
            }
        }
        Broadcast running = broadcasts.find(channel.id());
        MediaLane lane = broadcasts.publisherLane(running, channel);
        String id = SessionRegistry.newId();
        SessionEvents events = new SessionEvents(id, ticket, sessions, broadcasts);
        CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        TransportListener listener = new TransportListener() {
            @Override public void onConnected(TransportControl t, InetSocketAddress remote) { events.onConnected(t, remote); }

            @Override public void onSecure(TransportControl t) { events.onSecure(t); }

            @Override
            public void onClosed(TransportControl t, CloseReason reason) {
                try {
                    events.onClosed(t, reason);
                } finally {
                    closed.complete(reason);
                }
            }
        };
        TransportControl transport;
        try {
            transport = lane.openControllingTransport(answer.transport(), localIce, answer.candidates(), consentTimeout, listener);
        } catch (RuntimeException e) {
            ticket.release();
            if (running == null && broadcasts.find(channel.id()) == null) engine.release(BroadcastLifecycle.placementKey(channel));
            throw e;
        }
        var first = answer.tracks().getFirst();
        MediaSession session = new MediaSession(id, SessionKind.PUBLISHER, channel, answer.tracks(),
                first.kind().name().toLowerCase(java.util.Locale.ROOT), first.mid(), SessionRegistry.newEtag());
        events.startPublisher(session, transport, lane);
        LOG.info("relay session {} pulls channel {} ({}) from {}", id, channel.slug(), BroadcastLifecycle.describe(answer.tracks()),
                answer.candidates());
        return new RelaySession(id, transport, closed);
    }
}
