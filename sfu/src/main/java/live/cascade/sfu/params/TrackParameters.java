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
 */
public record TrackParameters(MediaKind kind, String mid, Codec codec, long ssrc, long rtxSsrc,
                              HeaderExtensions extensions) {
    public TrackParameters {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(extensions, "extensions");
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        if (rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("rtx ssrc out of range: " + rtxSsrc);
    }
}
