package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.signaling.negotiation.ServerTransport;

/** The two steps both flows take between a plan and its answer. */
final class Transports {
    private Transports() {}

    /** Creates the session's transport on its lane; a failure frees the session's slot at once. */
    static TransportControl open(MediaLane lane, TransportParameters parameters, SessionEvents events,
                                 SessionAdmission.Ticket ticket) {
        try {
            return lane.openTransport(parameters, events);
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
    }

    /** Our side of {@code transport} as the answer states it. */
    static ServerTransport server(MediaEngine engine, TransportControl transport) {
        return new ServerTransport(transport.localIce(), engine.certificateFingerprint(), transport.localCandidates());
    }
}
