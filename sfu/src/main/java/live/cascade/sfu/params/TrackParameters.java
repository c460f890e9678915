package live.cascade.sfu.params;

import java.util.Objects;

/**
 * One media track (one m-section) of a publisher or a viewer, as negotiated.
 *
 * @param kind       audio or video
 * @param mid        the m-section's mid
 * @param codec      the single codec this track carries
 * @param ssrc       the media SSRC: the publisher's from {@code a=ssrc} (0 when the offer carried none and it must be
 *                   learned from the mid extension), or the SSRC the server chose to send to a viewer
 * @param rtxSsrc    the RTX SSRC, 0 when none
 * @param extensions header-extension ids on this side
 * @param rid        the simulcast layer's RTP stream id (RFC 8851) when this is one layer of a simulcast m-section
 *                   (several tracks then share the mid), {@code ""} otherwise; the SSRC is learned from the rid
 *                   extension (and the RTX SSRC from repaired-rid)
 */
public record TrackParameters(MediaKind kind, String mid, Codec codec, long ssrc, long rtxSsrc,
                              HeaderExtensions extensions, String rid) {
    /** A track that is not a simulcast layer. */
    public TrackParameters(MediaKind kind, String mid, Codec codec, long ssrc, long rtxSsrc, HeaderExtensions extensions) {
        this(kind, mid, codec, ssrc, rtxSsrc, extensions, "");
    }

    public TrackParameters {
        Objects.requireNonNull(rid, "rid");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(extensions, "extensions");
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        if (rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("rtx ssrc out of range: " + rtxSsrc);
    }

    /** True for one layer of a simulcast m-section. */
    public boolean isLayer() { return !rid.isEmpty(); }

    /** This track as another simulcast layer of the same m-section. */
    public TrackParameters withRid(String layerRid) {
        return new TrackParameters(kind, mid, codec, ssrc, rtxSsrc, extensions, layerRid);
    }
}
