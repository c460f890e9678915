/**
 * Our SDP model (RFC 8866) with typed reads of the WebRTC attributes we negotiate, a tolerant parser that reports the
 * first problem as an {@link live.cascade.signaling.sdp.SdpParseException} naming the line, and a CRLF writer.
 */
package live.cascade.signaling.sdp;
