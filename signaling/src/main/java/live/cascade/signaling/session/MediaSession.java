package live.cascade.signaling.session;

import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.ViewerHandle;
import live.cascade.sfu.transport.TransportControl;

import java.util.List;

/**
 * One WHIP or WHEP session: its transport and what its PATCH and DELETE need. Fields other than the entity tag are
 * touched only on the owning media worker's thread.
 */
final class MediaSession {
    final String id;
    final SessionKind kind;
    final ChannelRef channel;
    final List<TrackParameters> tracks;
    /** Media type and mid of the first m-section, which an ICE-restart sdpfrag answers for. */
    final String firstMedia;
    final String firstMid;
    /** Set once, right after the session is created; closing it ends the session (its events do the rest). */
    TransportControl transport;
    volatile String etag;
    /** The broadcast this session publishes to or watches. */
    Broadcast broadcast;
    /** Set once a viewer's transport is secure and it was added to the router. */
    ViewerHandle viewer;
    /** A viewer's pinned simulcast layer (WHEP layer extension), applied when it is added; null: automatic. */
    String pinnedLayer;
    /** A viewer's cap on the automatic layer choice (picture height), 0 for none. */
    int maxHeight;

    MediaSession(String id, SessionKind kind, ChannelRef channel, List<TrackParameters> tracks, String firstMedia,
                 String firstMid, String etag) {
        this.id = id;
        this.kind = kind;
        this.channel = channel;
        this.tracks = List.copyOf(tracks);
        this.firstMedia = firstMedia;
        this.firstMid = firstMid;
        this.etag = etag;
    }

    SessionInfo info() {
        return new SessionInfo(id, kind, channel, etag);
    }
}
