/**
 * Stream health for the channel's owner: how the stream arrives at this node per track (bitrate, frame rate, loss,
 * congestion feedback) and the per-channel ingest gauges.
 */
package live.cascade.api.health;
