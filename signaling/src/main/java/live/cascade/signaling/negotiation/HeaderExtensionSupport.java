package live.cascade.signaling.negotiation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.sfu.params.HeaderExtensions;

/**
 * The RTP header extensions we negotiate. rid and repaired-rid only for a publisher's simulcast section: they name
 * the layer of each stream (and of its RTX); viewers get one stream per track and no rid.
 */
final class HeaderExtensionSupport {
    private HeaderExtensionSupport() {}

    static final List<String> URIS = List.of(HeaderExtensions.URI_MID, HeaderExtensions.URI_ABS_SEND_TIME,
            HeaderExtensions.URI_TRANSPORT_CC, HeaderExtensions.URI_AUDIO_LEVEL);

    static final List<String> SIMULCAST_URIS = List.of(HeaderExtensions.URI_RID, HeaderExtensions.URI_REPAIRED_RID);

    static List<ExtMap> usable(SessionDescription offer, MediaSection m, boolean offererSends) {
        return usable(offer, m, offererSends, false);
    }

    /**
     * The offered extensions we support for one section, section-level first, then session-level ones (RFC 8285
     * allows both) whose id the section does not reuse. {@code offererSends} drops extensions the offerer restricted
     * to the other direction; {@code simulcast} adds rid and repaired-rid.
     */
    static List<ExtMap> usable(SessionDescription offer, MediaSection m, boolean offererSends, boolean simulcast) {
        List<ExtMap> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> uris = new HashSet<>();
        List<ExtMap> all = new ArrayList<>(m.extMaps());
        all.addAll(offer.extMaps());
        for (ExtMap e : all) {
            boolean known = URIS.contains(e.uri()) || simulcast && SIMULCAST_URIS.contains(e.uri());
            if (!known || ids.contains(e.id()) || uris.contains(e.uri())) continue;
            Direction d = e.direction().orElse(Direction.SENDRECV);
            if (offererSends ? !d.sends() : !d.receives()) continue;
            ids.add(e.id());
            uris.add(e.uri());
            out.add(e);
        }
        return List.copyOf(out);
    }

    /** The extmap line for the answer: same id and URI, direction mirrored when the offer gave one. */
    static ExtMap answer(ExtMap offered) {
        return new ExtMap(offered.id(), offered.direction().map(Direction::reverse), offered.uri(), "");
    }

    static HeaderExtensions ids(List<ExtMap> negotiated) {
        return new HeaderExtensions(id(negotiated, HeaderExtensions.URI_MID), id(negotiated, HeaderExtensions.URI_ABS_SEND_TIME),
                id(negotiated, HeaderExtensions.URI_TRANSPORT_CC), id(negotiated, HeaderExtensions.URI_AUDIO_LEVEL),
                id(negotiated, HeaderExtensions.URI_RID), id(negotiated, HeaderExtensions.URI_REPAIRED_RID));
    }

    private static int id(List<ExtMap> negotiated, String uri) {
        Optional<ExtMap> e = negotiated.stream().filter(x -> x.uri().equals(uri)).findFirst();
        return e.map(ExtMap::id).orElse(0);
    }
}
