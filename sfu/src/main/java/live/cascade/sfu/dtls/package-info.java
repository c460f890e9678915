/**
 * DTLS 1.2 with use_srtp over Bouncy Castle: our self-signed certificate, the handshake on a virtual thread fed by a
 * bounded queue, fingerprint verification, and the exported SRTP keys.
 */
package live.cascade.sfu.dtls;
