/**
 * The per-viewer send side: {@link live.cascade.sfu.forward.RtpRewriter} maps a publisher packet onto what one
 * viewer negotiated (SSRC, sequence numbers, timestamps, payload type, extension ids) and {@link
 * live.cascade.sfu.forward.TransportWideSequence} numbers a viewer transport's packets.
 */
package live.cascade.sfu.forward;
