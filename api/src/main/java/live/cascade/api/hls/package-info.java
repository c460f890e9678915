/**
 * Serving HLS: the master and media playlists and segments (LL-HLS parts and blocking reloads included), the tap each
 * broadcast gets, HLS viewer counts and metrics, and the recordings component of {@code /readyz}.
 */
package live.cascade.api.hls;
