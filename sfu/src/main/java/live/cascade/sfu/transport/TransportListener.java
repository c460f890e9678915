package live.cascade.sfu.transport;

import java.net.InetSocketAddress;

/**
 * Life-cycle events of one peer's transport, delivered on the transport's media worker thread. Implementations must
 * not block; an exception thrown here is logged and swallowed so it cannot take the worker down.
 */
public interface TransportListener {
    TransportListener NONE = new TransportListener() {};

    /** ICE selected a pair (first time, or a new pair after ICE restart / USE-CANDIDATE on another pair). */
    default void onConnected(TransportControl transport, InetSocketAddress remote) {}

    /** DTLS finished; {@link TransportControl#sendRtp} works from now on. */
    default void onSecure(TransportControl transport) {}

    /** The transport closed; called exactly once. */
    default void onClosed(TransportControl transport, CloseReason reason) {}
}
