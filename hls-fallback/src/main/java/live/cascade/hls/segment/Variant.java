package live.cascade.hls.segment;

/**
 * One entry of a master playlist.
 *
 * @param uri              the media playlist, relative to the master
 * @param bandwidth        peak bits per second (video + audio)
 * @param averageBandwidth average bits per second, 0 when unknown
 * @param codecs           RFC 6381 codec strings, comma-separated
 * @param frameRate        0 when unknown
 */
public record Variant(String name, String uri, long bandwidth, long averageBandwidth, int width, int height,
                      double frameRate, String codecs) {
}
