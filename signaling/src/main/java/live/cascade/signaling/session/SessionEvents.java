package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * One session's transport events (on its lane's thread), and the session's admission slot: secure frees the slot's
 * "pending" mark, close frees the slot and the session, and hands a publisher's or viewer's departure to the
 * {@link BroadcastLifecycle}. Tied to its session by reference: a DELETE removes the session from the registry before
 * the transport's close event arrives, and that event must still find it.
 */
final class SessionEvents implements TransportListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    private final String sessionId;
    /** The session's slot: no longer pending once secure, free once closed. */
    private final SessionAdmission.Ticket ticket;
    private final SessionRegistry sessions;
    private final BroadcastLifecycle broadcasts;
    volatile MediaSession session;

    SessionEvents(String sessionId, SessionAdmission.Ticket ticket, SessionRegistry sessions, BroadcastLifecycle broadcasts) {
        this.sessionId = sessionId;
        this.ticket = ticket;
        this.sessions = sessions;
        this.broadcasts = broadcasts;
    }

    /**
     * A publisher session is set up: it is registered and attached to its channel's broadcast on {@code lane}.
     * Returns the broadcast it joined, null when it lost a race for the channel and was closed.
     */
    Broadcast startPublisher(MediaSession publisher, TransportControl transport, MediaLane lane) {
        publisher.transport = transport;
        this.session = publisher;
        sessions.add(publisher);
        return lane.call(() -> {
            broadcasts.attachPublisher(publisher, lane);
            return publisher.broadcast;
        });
    }

    private MediaSession session() {
        MediaSession s = session;
        return s != null ? s : sessions.get(sessionId);
    }

    @Override
    public void onConnected(TransportControl transport, InetSocketAddress remote) {
        LOG.debug("session {}: ICE selected {}", sessionId, remote);
    }

    @Override
    public void onSecure(TransportControl transport) {
        ticket.secured();
        MediaSession s = session();
        if (s == null) {
            transport.close();
            return;
        }
        LOG.debug("session {}: DTLS done ({})", sessionId, transport.srtpProfile());
        if (s.kind != SessionKind.PUBLISHER) broadcasts.viewerSecure(s);
    }

    @Override
    public void onClosed(TransportControl transport, CloseReason reason) {
        ticket.release();
        MediaSession s = session();
        sessions.remove(sessionId);
        if (s == null) return;
        if (reason != CloseReason.DELETED) LOG.info("session {} ({} of {}) closed: {}", sessionId, s.kind, s.channel.slug(), reason);
        if (s.kind == SessionKind.PUBLISHER) broadcasts.publisherGone(s, reason);
        else broadcasts.viewerGone(s);
    }
}
