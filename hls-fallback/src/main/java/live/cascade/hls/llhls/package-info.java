/**
 * Low-latency HLS (RFC 8216bis, Apple's LL-HLS): the ladder's segments cut into parts of a few hundred milliseconds,
 * kept in memory per rendition ({@link live.cascade.hls.llhls.LowLatencyRendition}), and the playlist rules: parts,
 * preload hints, server control, rendition reports, delta updates and blocking reloads
 * ({@link live.cascade.hls.llhls.LowLatencyPlaylist}, {@link live.cascade.hls.llhls.ReloadRequest}). Full segments are
 * still listed and written to disk by the plain HLS output, so players that ignore the new tags play the same
 * playlists.
 */
package live.cascade.hls.llhls;
