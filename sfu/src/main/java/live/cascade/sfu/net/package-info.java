/**
 * Media workers and the secured transports that live on them. A {@link live.cascade.sfu.net.MediaWorker} is one
 * Netty event-loop thread with one UDP port; its {@code UdpPacketHandler} demultiplexes datagrams (RFC 7983) to
 * ICE-lite, DTLS and SRTP of the {@link live.cascade.sfu.net.PeerTransport}s bound to it. Everything here runs on the
 * owning worker's thread unless a method says otherwise.
 */
package live.cascade.sfu.net;
