package live.cascade.signaling.sdp;

import java.util.List;
import java.util.Optional;

/** A description with m-sections: a whole SDP, or an sdpfrag. A section's {@code a=mid} names it within the description. */
public interface HasMediaSections {
    /** The m-sections, in order. */
    List<MediaSection> media();

    /** The m-section named {@code mid}, if any. */
    default Optional<MediaSection> section(String mid) {
        return media().stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }
}
