/**
 * Media workers and the secured transports that live on them. A {@link live.cascade.sfu.net.MediaWorker} is one
 * Netty event-loop thread with one UDP port; its {@code UdpPacketHandler} demultiplexes datagrams (RFC 7983) to
 * ICE-lite ({@code IceLiteResponder}), DTLS and SRTP of the {@link live.cascade.sfu.net.PeerTransport}s bound to it,
 * found in its {@code TransportTable}. A worker's parts: {@code TransportTable} (transports and their ufrag/address
 * indexes), {@code DatagramWriter} (batched sends), {@code ReceiveStamps} (kernel arrival times). A transport's parts:
 * {@code TransportIce}, {@code TransportDtls}, {@code EarlyMedia}, {@code SrtpSender}. Everything here runs on the
 * owning worker's thread unless a method says otherwise; only {@code live.cascade.sfu.engine} reaches in here.
 */
package live.cascade.sfu.net;
