/**
 * What the router needs to know about payloads, per codec: where a keyframe starts ({@link
 * live.cascade.sfu.codec.Keyframes}) and the picture size a keyframe carries ({@link
 * live.cascade.sfu.codec.ResolutionDetector}, H.264 SPS parsing). Stateless or per-track scratch; no allocation per
 * packet.
 */
package live.cascade.sfu.codec;
