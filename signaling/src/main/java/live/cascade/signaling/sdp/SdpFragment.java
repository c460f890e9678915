package live.cascade.signaling.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An SDP fragment (RFC 8840 {@code application/trickle-ice-sdpfrag}): session-level attributes and m-sections with
 * no {@code v=}, {@code o=} or {@code s=}. The m-lines only carry the {@code a=mid} context; their port and formats
 * mean nothing.
 */
public record SdpFragment(List<SdpLine> lines, List<Attribute> attributes, List<MediaSection> media) implements HasAttributes {
    public SdpFragment {
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        AttributeRules.requireValidScope(attributes);
        Set<String> mids = new HashSet<>();
        for (MediaSection m : media) {
            m.mid().ifPresent(mid -> {
                if (!mids.add(mid)) throw new IllegalArgumentException("mid " + Text.quote(mid) + " is used by two m-sections");
            });
        }
    }

    public Optional<MediaSection> section(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }
}
