package live.cascade.signaling.sdp;

import java.util.List;

/**
 * An SDP fragment (RFC 8840 {@code application/trickle-ice-sdpfrag}): session-level attributes and m-sections with
 * no {@code v=}, {@code o=} or {@code s=}. The m-lines only carry the {@code a=mid} context; their port and formats
 * mean nothing.
 */
public record SdpFragment(List<SdpLine> lines, List<Attribute> attributes, List<MediaSection> media)
        implements HasAttributes, HasMediaSections {
    public SdpFragment {
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        AttributeRules.requireValidScope(attributes);
        AttributeRules.requireUniqueMids(media);
    }
}
