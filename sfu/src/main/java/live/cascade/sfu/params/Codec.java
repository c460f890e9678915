package live.cascade.sfu.params;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One negotiated codec of one track, as that side uses it.
 *
 * @param payloadType     RTP payload type on this side's wire
 * @param name            encoding name as in {@code a=rtpmap}, e.g. {@code opus}, {@code H264}, {@code VP8}
 * @param clockRate       RTP clock rate
 * @param channels        audio channels (1 for video)
 * @param fmtp            the {@code a=fmtp} parameters as written, or empty
 * @param rtcpFeedback    the {@code a=rtcp-fb} values, e.g. {@code nack}, {@code nack pli}, {@code transport-cc}
 * @param rtxPayloadType  payload type of the matching RTX stream, or -1 when none was negotiated
 */
public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp,
                    List<String> rtcpFeedback, int rtxPayloadType) {
    public Codec {
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type out of range: " + payloadType);
        if (rtxPayloadType < -1 || rtxPayloadType > 127) throw new IllegalArgumentException("rtx payload type out of range: " + rtxPayloadType);
        Objects.requireNonNull(name, "name");
        fmtp = fmtp == null ? "" : fmtp;
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** Codecs match for forwarding when name, clock rate and channels agree (payload types may differ per side). */
    public boolean sameFormat(Codec other) {
        return name.equalsIgnoreCase(other.name) && clockRate == other.clockRate && channels == other.channels;
    }

    public String upperName() { return name.toUpperCase(Locale.ROOT); }

    public boolean hasFeedback(String fb) { return rtcpFeedback.contains(fb); }
}
