/**
 * The bridge between the HTTP node and the media plane: starting the SFU, the WHIP/WHEP wiring, the channel
 * directory the signaling layer asks, recording each broadcast, revoking broadcasts, and media metrics and readiness.
 */
package live.cascade.api.media;
