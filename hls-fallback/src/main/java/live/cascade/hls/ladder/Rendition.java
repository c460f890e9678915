package live.cascade.hls.ladder;

/**
 * One rendition the tap produces for a particular source.
 *
 * @param name         also its directory and URI segment ({@code source}, {@code 720p}, ...)
 * @param passthrough  the publisher's H.264 as it is, cut at its own keyframes; otherwise decoded and re-encoded
 * @param videoBitRate target for encoded renditions; for passthrough, what the source was measured at (0 before)
 */
public record Rendition(String name, boolean passthrough, int width, int height, long videoBitRate) {
}
