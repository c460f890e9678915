package live.cascade.hls.llhls;

/**
 * Where another rendition's live edge is ({@code EXT-X-RENDITION-REPORT}), so a player switching to it can ask for
 * the right part at once.
 *
 * @param uri      its playlist, relative to this one
 * @param lastMsn  the segment of its last complete part
 * @param lastPart that part's index, or -1 when it has no parts listed
 */
public record RenditionReport(String uri, long lastMsn, int lastPart) {
}
