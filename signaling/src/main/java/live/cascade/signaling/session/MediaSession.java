package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaLane;

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
    /**
     * Tracks a local publisher hands the broadcast's tap directly instead of through the router (RTMP/SRT HEVC video,
     * which WebRTC viewers are not sent); empty otherwise. Set before the session is attached.
     */
    List<TrackParameters> directTracks = List.of();
    /** Media type and mid of the first m-section, which an ICE-restart sdpfrag answers for. */
    final String firstMedia;
    final String firstMid;
    /** Set once, right after the session is created; closing it ends the session (its events do the rest). */
    TransportControl transport;
    /**
     * The lane a viewer's transport (and so its router consumer) lives on: the broadcast's, or with spread viewers
     * the one it was placed on. Set once, before the transport exists; null for publishers.
     */
    MediaLane lane;
    /** The viewer's placement on {@link #lane} was released (once, when it went). Its lane's thread only. */
    boolean laneReleased;
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

    /**
     * Closes the transport without waiting on another lane's thread: off the session's lane the close is queued
     * there (a lane that waited for another could deadlock with one waiting for it). Publishers close directly.
     */
    void closeTransport() {
        MediaLane l = lane;
        if (l == null || l.onLane()) {
            transport.close();
            return;
        }
        try {
            l.execute(transport::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The engine is closing: its workers close every transport themselves.
        }
    }

    SessionInfo info() {
        return new SessionInfo(id, kind, channel, etag);
    }
}
