package live.cascade.signaling.session;

import live.cascade.sfu.routing.PacketSink;

/**
 * An in-process consumer of one broadcast's media (the HLS ladder and recorder), made by a {@link BroadcastTapFactory}
 * when the broadcast starts and closed when it ends. It lives as long as the broadcast: a publisher that reconnects
 * within the grace period continues into the same tap (which sees {@link PacketSink#onPublisherAttached()}).
 */
public interface BroadcastTap {
    /** The sink added to the broadcast's router; called on the media worker, so it must never block. */
    PacketSink sink();

    /** The broadcast ended. Called on the media worker: must return at once (finish the work elsewhere). */
    void close();
}
