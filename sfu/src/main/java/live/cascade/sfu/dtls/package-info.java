/**
 * DTLS 1.2 with use_srtp over Bouncy Castle: our self-signed certificate, the handshake on a virtual thread fed by a
 * bounded queue and computing only in one of the node's {@link live.cascade.sfu.dtls.HandshakeSlots}, fingerprint
 * verification, and the exported SRTP keys.
 */
package live.cascade.sfu.dtls;
