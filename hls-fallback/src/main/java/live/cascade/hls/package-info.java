/**
 * The HLS fallback: a packet sink on a channel's router that feeds FFmpeg for the adaptive-bitrate ladder and the
 * recordings. Nothing is here yet; the HLS issue fills it.
 */
package live.cascade.hls;
