/**
 * A peer's transport as its users see it, independent of how it is built: {@link live.cascade.sfu.transport.MediaTransport}
 * (sending, for the routing layer, worker thread only), {@link live.cascade.sfu.transport.MediaReceiver} (what
 * decrypted packets are handed to), {@link live.cascade.sfu.transport.TransportControl} (answer credentials, ICE
 * restart, receiver, close, for signaling) with its {@link live.cascade.sfu.transport.TransportListener} events and
 * {@link live.cascade.sfu.transport.CloseReason}s.
 */
package live.cascade.sfu.transport;
