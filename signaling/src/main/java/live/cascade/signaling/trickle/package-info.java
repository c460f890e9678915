/**
 * {@code application/trickle-ice-sdpfrag} bodies (RFC 8840) for WHIP/WHEP PATCH: trickled candidates, ICE-restart
 * detection, and our restart response.
 */
package live.cascade.signaling.trickle;
